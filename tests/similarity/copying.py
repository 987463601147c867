"""What a student who copies an answer does to hide it, as functions of the answer: in code,
rename identifiers, change comments and blank lines, reorder functions, insert dead code,
change literals (each keeps the code valid Python); in free text, rewrap the lines, reorder
the sentences, change words."""
from __future__ import annotations

import ast
import io
import re
import textwrap
import tokenize


def _bound_names(code: str) -> set[str]:
    """Names the answer binds locally (parameters, assignments, loop variables), not the
    top-level functions, classes and constants the notebook's tests look up by name."""
    tree = ast.parse(code)
    top_level = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            top_level.add(node.name)
        for target in getattr(node, "targets", []) + [getattr(node, "target", None)]:
            for name in ast.walk(target) if target is not None else ():
                if isinstance(name, ast.Name):
                    top_level.add(name.id)
    bound = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and node.arg not in ("self", "cls"):
            bound.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            bound.add(node.name)
    return bound - top_level


def _retokenize(code: str, change) -> str:
    """`code` with each token's text replaced by change(token, previous token); everything
    between the tokens is kept."""
    line_starts = [0]
    for line in code.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))
    edits, previous = [], None
    for tok in tokenize.generate_tokens(io.StringIO(code).readline):
        new = change(tok, previous)
        if new != tok.string:
            start = line_starts[tok.start[0] - 1] + tok.start[1]
            edits.append((start, line_starts[tok.end[0] - 1] + tok.end[1], new))
        if tok.type not in (tokenize.NL, tokenize.COMMENT):
            previous = tok
    for start, end, new in reversed(edits):
        code = code[:start] + new + code[end:]
    return code


def rename_identifiers(code: str) -> str:
    names = sorted(_bound_names(code))
    new = {name: f"{'abcdefgh'[i % 8]}{i}_{name[::-1].lower()}q" for i, name in enumerate(names)}

    def change(tok, previous):
        if tok.type == tokenize.NAME and tok.string in new and not (previous and previous.string == "."):
            return new[tok.string]
        return tok.string
    return _retokenize(code, change)


def change_comments_and_blank_lines(code: str) -> str:
    """Drop every comment and blank line, then add other comments and blank lines."""
    no_comments = _retokenize(code, lambda tok, _: "" if tok.type == tokenize.COMMENT else tok.string)
    lines = [line.rstrip() for line in no_comments.split("\n") if line.strip()]
    out = []
    for i, line in enumerate(lines):
        indent = line[: len(line) - len(line.lstrip())]
        if i % 3 == 1 and not line.lstrip().startswith(("else", "elif", "except", "finally", ")", "]", "}")):
            out.append(f"{indent}# my step {i}: see lecture notes")
        out.append(line)
        if i % 4 == 3:
            out.append("")
    return "\n".join(out) + "\n"


def _top_level_chunks(code: str):
    """The source split into top-level statements (each with its decorators and the lines
    before it up to the previous statement)."""
    lines = code.split("\n")
    tree = ast.parse(code)
    chunks, start = [], 0
    for node in tree.body:
        end = node.end_lineno
        chunks.append((node, "\n".join(lines[start:end]).strip("\n")))
        start = end
    tail = "\n".join(lines[start:]).strip()
    return chunks, tail


def reorder_functions(code: str) -> str:
    """The function and class definitions of the answer in reverse order (other statements
    keep their place)."""
    chunks, tail = _top_level_chunks(code)
    definitions = [text for node, text in chunks if isinstance(node, (ast.FunctionDef, ast.ClassDef))]
    definitions.reverse()
    out = [definitions.pop(0) if isinstance(node, (ast.FunctionDef, ast.ClassDef)) else text
           for node, text in chunks]
    return "\n\n\n".join(out + ([tail] if tail else [])) + "\n"


DEAD_CODE = [
    "unused_total = sum(k * k for k in range(5))",
    "if False:\n    print('never runs')",
    "for _ in range(0):\n    pass",
    "debug_flag = len('diagnostics') > 100",
]


def insert_dead_code(code: str) -> str:
    """Statements that do nothing, in the middle of every function body and between the
    top-level statements, and an unused helper function."""
    lines = code.split("\n")
    tree = ast.parse(code)
    places = []  # (line index to insert before, indentation)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            middle = node.body[len(node.body) // 2]
            places.append((middle.lineno - 1, " " * middle.col_offset))
    places += [(node.lineno - 1 - len(getattr(node, "decorator_list", [])), "") for node in tree.body[1:]]
    for n, (index, indent) in enumerate(sorted(set(places), reverse=True)):
        block = DEAD_CODE[n % len(DEAD_CODE)]
        lines[index:index] = [indent + line for line in block.split("\n")]
    lines += ["", "", "def helper_never_called(values):", "    return [v for v in values if v is not None]"]
    return "\n".join(lines) + "\n"


def change_literals(code: str) -> str:
    """Every number written differently (other values: 2.0 -> 2.5, 3 -> 4) and string literals
    with other quotes and one more character."""
    def change(tok, previous):
        if tok.type == tokenize.NUMBER and re.fullmatch(r"\d+", tok.string):
            return str(int(tok.string) + 1)
        if tok.type == tokenize.NUMBER and re.fullmatch(r"\d*\.\d*([eE][-+]?\d+)?", tok.string):
            return repr(float(tok.string) * 1.25)
        if tok.type == tokenize.STRING and re.fullmatch(r"'[^'\\\n]*'|\"[^\"\\\n]*\"", tok.string):
            return f"'{tok.string[1:-1]}x'"
        return tok.string
    return _retokenize(code, change)


TRANSFORMATIONS = {
    "renamed": rename_identifiers,
    "comments": change_comments_and_blank_lines,
    "reordered": reorder_functions,
    "dead_code": insert_dead_code,
    "literals": change_literals,
}


def all_transformations(code: str) -> str:
    for transform in TRANSFORMATIONS.values():
        code = transform(code)
    return code


# -- free-text answers --------------------------------------------------------------------

def rewrap(text: str, width: int = 60) -> str:
    """The same words with other line breaks."""
    return textwrap.fill(" ".join(text.split()), width) + "\n"


def reorder_sentences(text: str) -> str:
    """The first sentence moved to the end."""
    sentences = re.split(r"(?<=[.;])\s+", " ".join(text.split()))
    return " ".join(sentences[1:] + sentences[:1]) + "\n"


SYNONYMS = {"weights": "coefficients", "features": "inputs", "penalty": "regulariser", "useful": "handy",
            "preferred": "better", "uses": "applies"}


def change_words(text: str) -> str:
    """A few words swapped for synonyms (every occurrence)."""
    for word, other in SYNONYMS.items():
        text = re.sub(rf"\b{word}\b", other, text)
    return text


TEXT_TRANSFORMATIONS = {"rewrapped": rewrap, "sentences_reordered": reorder_sentences, "words_changed": change_words}


def all_text_transformations(text: str) -> str:
    for transform in TEXT_TRANSFORMATIONS.values():
        text = transform(text)
    return text
