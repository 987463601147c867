"""The matching is Dolos's (its library `@dodona/dolos-lib` from npm, made for code similarity
in education): tree-sitter parses each answer, k-grams of its syntax-tree node types are
winnowed into fingerprints, so renamed identifiers, changed literals, comments and layout do
not change them. Python talks to it through dolos_bridge.mjs: one Node process per call,
one JSON job in, one JSON answer out."""
from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AutograderError

REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO / "build" / "node" / "node_modules"   # `make node-deps` installs it there
DOLOS_LIB = NODE_MODULES / "@dodona" / "dolos-lib" / "dist" / "index.js"
BRIDGE = Path(__file__).with_name("dolos_bridge.mjs")


class DolosMissing(AutograderError):
    """Node or Dolos's library is not installed."""


class DolosFailed(AutograderError):
    """The Node process answered with an error."""


@dataclass(frozen=True)
class Tokens:
    """How answers are cut into fingerprints: the language Dolos parses them in, the k-gram
    length (in tokens) and the winnowing window (in k-grams)."""
    language: str
    k: int
    window: int


# Code: syntax-tree node types (a short Python statement is 10-20 of them). 12/8 ranked every
# planted copy above every independent pair on all seven assignments (docs/similarity.md).
CODE = Tokens("python", 12, 8)
# Free text: characters; 15 characters is two or three words.
TEXT = Tokens("char", 15, 5)


@dataclass
class Analysis:
    """One question across the class: the answers, what the release gave, and the pairs whose
    matching fragments are wanted."""
    tokens: Tokens
    given: list[str]
    answers: list[str]
    explain: list[tuple[int, int]] = field(default_factory=list)


Region = tuple[int, int, int, int]   # start row, start column, end row, end column (0-based, end exclusive)


@dataclass
class Matches:
    own: list[int]                                    # each answer's fingerprints not in the release
    shared: dict[tuple[int, int], tuple[int, int]]    # (i, j) -> (of i's found in j, of j's in i)
    fragments: dict[tuple[int, int], list[tuple[Region, Region]]]   # (i, j) -> matching (i's, j's) regions


def prepared(tokens: Tokens, answer: str) -> str:
    """The answer as Dolos gets it. Free text is compared in lower case with line breaks as
    spaces (rewrapping a copied paragraph changes nothing); it keeps its length, so positions
    in it are positions in the answer."""
    if tokens.language != "char":
        return answer
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in answer.replace("\n", " "))


def spans(tokens: Tokens, answer: str, regions: list[Region]) -> list[tuple[int, int]]:
    """Dolos's regions of an answer as character spans of it, sorted, overlapping ones merged."""
    text = prepared(tokens, answer)
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)

    def at(row: int, col: int) -> int:
        return min(starts[min(row, len(starts) - 1)] + col, len(text))
    merged: list[tuple[int, int]] = []
    for start, end in sorted((at(r0, c0), at(r1, c1)) for r0, c0, r1, c1 in regions):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def node() -> str:
    found = shutil.which("node")
    if not found or not DOLOS_LIB.is_file():
        raise DolosMissing(f"Dolos's library is not installed ({DOLOS_LIB}): run `make node-deps`"
                           + ("" if found else " (Node.js is missing too)"))
    return found


def _job(analysis: Analysis) -> dict:
    tokens = analysis.tokens
    return {"language": tokens.language, "k": tokens.k, "window": tokens.window,
            "given": [prepared(tokens, t) for t in analysis.given],
            "files": [prepared(tokens, t) for t in analysis.answers], "explain": analysis.explain}


def run(analyses: list[Analysis]) -> list[Matches]:
    """Every pair of answers in each analysis, and the fragments of the pairs it explains."""
    if not analyses:
        return []
    proc = subprocess.run([node(), str(BRIDGE), str(DOLOS_LIB)], input=json.dumps({"analyses": [_job(a) for a in analyses]}),
                          capture_output=True, text=True)
    if proc.returncode != 0:
        errors = [line.strip() for line in proc.stderr.splitlines() if "Error" in line] or ["no message"]
        raise DolosFailed(f"Dolos failed (exit {proc.returncode}): {errors[0]}")
    return [Matches(own=answer["own"],
                    shared={(i, j): (a, b) for i, j, a, b in answer["shared"]},
                    fragments={(i, j): [(tuple(left), tuple(right)) for left, right in found]
                               for i, j, found in answer["fragments"]})
            for answer in json.loads(proc.stdout)["analyses"]]
