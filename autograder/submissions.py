"""Build student submissions from the instructor notebook: the solution as a student would
submit it, the blank release, known-wrong variants (tests/wrong_variants/), honest
alternatives that must lose nothing (tests/honest_variants/) and attacks on the grader
(tests/batch/attacks/), which fill only their own cells of the blank release."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

_CELL = re.compile(r"^# %% cell: *(\S+) *$", re.M)
_LOSES = re.compile(r"^# loses: *(.*)$", re.M)


@dataclass(frozen=True)
class WrongVariant:
    """Replacement sources for answer cells and the test cells they lose: a known mistake, or
    an honest alternative (a correct answer written differently: `# loses:` names nothing)."""

    name: str
    description: str
    cells: dict[str, str]
    loses: tuple[str, ...]

    @classmethod
    def read(cls, path: Path) -> "WrongVariant":
        text = path.read_text()
        loses = _LOSES.search(text)
        if not loses:
            raise ValueError(f"{path}: no '# loses: <test cell ids>' line")
        parts = _CELL.split(text)
        if len(parts) < 3:
            raise ValueError(f"{path}: no '# %% cell: <answer cell id>' section")
        head = parts[0]
        doc = re.search(r'"""(.*?)"""', head, re.S)
        cells = {parts[i]: parts[i + 1].strip("\n") + "\n" for i in range(1, len(parts), 2)}
        return cls(
            name=path.stem,
            description=doc.group(1).strip() if doc else path.stem,
            cells=cells,
            loses=tuple(x.strip() for x in loses.group(1).split(",") if x.strip()),
        )


def grade_id(cell) -> str | None:
    """The nbgrader grade id of a cell, or None."""
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _answer_ids(nb) -> set[str]:
    return {grade_id(c) for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")}


def strip_solution_markers(source: str) -> str:
    return "\n".join(
        line for line in source.split("\n")
        if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line
    )


def solution_answers(source_nb: Path) -> dict[str, str]:
    """What a student who wrote the solution puts in each answer cell, by grade id."""
    source = nbformat.read(source_nb, as_version=4)
    return {grade_id(c): strip_solution_markers(c.source) for c in source.cells
            if c.metadata.get("nbgrader", {}).get("solution")}


def filled_release(release_nb: Path, source_nb: Path, replace: dict[str, str] | None = None):
    """The release notebook with each answer cell filled from the source's solution,
    the way a student who wrote the solution would submit it; `replace` overrides cells."""
    release = nbformat.read(release_nb, as_version=4)
    answers = solution_answers(source_nb)
    replace = dict(replace or {})
    unknown = set(replace) - _answer_ids(release)
    if unknown:
        raise KeyError(f"not answer cells of {release_nb.name}: {', '.join(sorted(unknown))}")
    for cell in release.cells:
        gid = grade_id(cell)
        if gid in replace:
            cell.source = replace.pop(gid)
        elif gid in answers and cell.metadata["nbgrader"].get("solution"):
            cell.source = answers[gid]
    return release


def variant_notebook(release_nb: Path, source_nb: Path, variant: WrongVariant):
    return filled_release(release_nb, source_nb, variant.cells)


def release_with(release_nb: Path, replace: dict[str, str]):
    """The blank release with only the cells of `replace` filled in (an attack that solves
    nothing else)."""
    release = nbformat.read(release_nb, as_version=4)
    unknown = set(replace) - _answer_ids(release)
    if unknown:
        raise KeyError(f"not answer cells of {release_nb.name}: {', '.join(sorted(unknown))}")
    for cell in release.cells:
        if grade_id(cell) in replace:
            cell.source = replace[grade_id(cell)]
    return release


def read_variants(directory: Path) -> list[WrongVariant]:
    return [WrongVariant.read(p) for p in sorted(directory.glob("*.py"))]
