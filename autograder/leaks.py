"""What must never reach students: solution code, hidden tests, reference data, TF noise.

`release/` is what students get before the deadline; `solutions/` after it. Both are
checked against the source notebook line by line.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat

from . import course

MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
           "BEGIN MARK SCHEME", "END MARK SCHEME")
_MIN_LINE = 16  # shorter lines (`return x`, `pass`) legitimately appear in prompts too


def _regions(source: str, begin: str, end: str) -> list[str]:
    lines, inside, found = source.split("\n"), False, []
    for line in lines:
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        elif inside:
            found.append(line)
    return found


def _significant(lines: list[str], public_text: str) -> set[str]:
    """Lines long enough to be telling that do not also occur in the public parts of the source."""
    return {
        s for s in (line.strip() for line in lines)
        if len(s) >= _MIN_LINE and not s.startswith("#") and s not in public_text
    }


def secret_lines(source_nb) -> tuple[set[str], set[str]]:
    """(solution lines, hidden-test lines) of a source notebook."""
    solution, hidden_tests, public = [], [], []
    for cell in source_nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            # nbgrader replaces the solution regions, or a whole markdown cell without one
            regions = _regions(cell.source, "BEGIN SOLUTION", "END SOLUTION")
            if regions or cell.cell_type == "code":
                solution += regions
                public.append("\n".join(l for l in cell.source.split("\n") if l not in regions))
            else:
                solution += cell.source.split("\n")
        else:
            hidden = _regions(cell.source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
            hidden_tests += hidden
            public.append("\n".join(l for l in cell.source.split("\n") if l not in hidden))
    public_text = "\n".join(public)
    return _significant(solution, public_text), _significant(hidden_tests, public_text)


def _cell_texts(nb) -> list[tuple[int, str]]:
    return [(i, cell.source) for i, cell in enumerate(nb.cells)]


def notebook_leaks(nb, secrets: tuple[set[str], set[str]], name: str) -> list[str]:
    """What a student notebook `nb` gives away of the source whose `secret_lines` are
    `secrets`: markers, solution or hidden-test lines, an import of the grading package, outputs."""
    problems = []
    solution, hidden_tests = secrets
    for i, text in _cell_texts(nb):
        for marker in MARKERS:
            if marker in text:
                problems.append(f"{name} cell {i}: contains '{marker}'")
        for line in text.split("\n"):
            s = line.strip()
            if s in solution:
                problems.append(f"{name} cell {i}: solution line {s[:60]!r}")
            if s in hidden_tests:
                problems.append(f"{name} cell {i}: hidden-test line {s[:60]!r}")
        if re.search(r"\bfrom autograder\b|\bimport autograder\b", text):
            problems.append(f"{name} cell {i}: imports the grading package")
        if nb.cells[i].cell_type == "code" and nb.cells[i].outputs:
            problems.append(f"{name} cell {i}: has outputs")
    return problems


def release_leaks(root: Path, assignment: str) -> list[str]:
    problems = []
    source_dir, release_dir = root / "source" / assignment, root / "release" / assignment
    released = {p.relative_to(release_dir) for p in release_dir.rglob("*") if p.is_file()}
    allowed = {p.relative_to(source_dir) for p in source_dir.rglob("*") if p.is_file()}
    for extra in sorted(released - allowed):
        problems.append(f"release/{assignment}/{extra} is not a file of source/{assignment}")
    for source_path in course.source_notebooks(root, assignment):
        released_path = release_dir / source_path.name
        if not released_path.is_file():
            problems.append(f"release/{assignment}/{source_path.name} is missing")
            continue
        problems += notebook_leaks(nbformat.read(released_path, as_version=4),
                                   secret_lines(nbformat.read(source_path, as_version=4)),
                                   f"release/{assignment}/{source_path.name}")
    return problems


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def otter_student_leaks(path: Path, source_path: Path) -> list[str]:
    """The otter student notebook's cells, and the test code otter stores in its metadata
    (where only public tests may be)."""
    nb = nbformat.read(path, as_version=4)
    solution, hidden_tests = secret_lines(nbformat.read(source_path, as_version=4))
    problems = notebook_leaks(nb, (solution, hidden_tests), path.name)
    for text in _strings(dict(nb.metadata)):
        for secret in sorted(solution | hidden_tests):
            if secret in text:
                problems.append(f"{path.name} metadata: {'solution' if secret in solution else 'hidden-test'} "
                                f"line {secret[:60]!r}")
    return problems


def solution_leaks(root: Path, assignment: str) -> list[str]:
    problems = []
    for source_path in course.source_notebooks(root, assignment):
        path = root / "solutions" / assignment / source_path.name
        name = f"solutions/{assignment}/{source_path.name}"
        if not path.is_file():
            problems.append(f"{name} is missing")
            continue
        _, hidden_tests = secret_lines(nbformat.read(source_path, as_version=4))
        nb = nbformat.read(path, as_version=4)
        for i, text in _cell_texts(nb):
            if "HIDDEN TESTS" in text:
                problems.append(f"{name} cell {i}: contains a hidden-test block")
            for line in text.split("\n"):
                if line.strip() in hidden_tests:
                    problems.append(f"{name} cell {i}: hidden-test line {line.strip()[:60]!r}")
            cell = nb.cells[i]
            if cell.cell_type != "code":
                continue
            if cell.source.strip() and cell.execution_count is None:
                problems.append(f"{name} cell {i}: was not executed")
            for out in cell.outputs:
                if out.output_type == "error":
                    problems.append(f"{name} cell {i}: error output {out.ename}")
                elif out.output_type == "stream" and out.name == "stderr":
                    problems.append(f"{name} cell {i}: stderr output {out.text.strip()[:80]!r}")
    return problems
