"""The attack corpus of the real course (tests/batch/attacks/<assignment>/): submissions written
to fool the batch grader. Read here, graded in the assignment's proof batch (conftest.proven),
judged by tests/batch/test_attacks.py."""
from __future__ import annotations

from pathlib import Path

from autograder import course, nbgrader_run
from autograder.submissions import WrongVariant, release_with

ATTACKS = Path(__file__).resolve().parent / "batch" / "attacks"
PREFIX = "attack-"


def attack_files(assignment: str) -> list[Path]:
    return sorted((ATTACKS / assignment).glob("*.py"))


def read_attack(path: Path) -> WrongVariant:
    """An attack file has the wrong-variant layout; its `# loses:` line, if any, is ignored:
    an attack must lose every cell it touches (and gain nothing anywhere)."""
    text = path.read_text()
    if "# loses:" not in text:
        text = text.replace("# %% cell:", "# loses:\n# %% cell:", 1)
    tmp = path.parent / f".{path.stem}.parsed"
    tmp.write_text(text)
    try:
        variant = WrongVariant.read(tmp)
    finally:
        tmp.unlink()
    return variant


def submit_attacks(ws: Path, assignment: str) -> list[str]:
    """Each attack's cells filled into the blank release, submitted as student `attack-<name>`."""
    (source_nb,) = course.source_notebooks(ws, assignment)
    release_nb = ws / "release" / assignment / source_nb.name
    students = []
    for path in attack_files(assignment):
        students.append(f"{PREFIX}{path.stem}")
        nbgrader_run.submit(ws, assignment, students[-1], release_with(release_nb, read_attack(path).cells))
    return students
