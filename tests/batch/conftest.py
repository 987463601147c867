"""Helpers for batch-grader tests: submissions made from variant files on the mini course."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import numpy as np

from autograder import nbgrader_run, reference_file
from autograder.submissions import WrongVariant, filled_release

HERE = Path(__file__).parent


def read_case(path: Path) -> WrongVariant:
    """A tamper or fault file: the same format as a wrong variant, without a 'loses' line."""
    text = path.read_text()
    if "# loses:" not in text:
        text = text.replace("# %% cell:", "# loses: double_values\n# %% cell:", 1)
        tmp = path.with_suffix(".case")
        tmp.write_text(text)
        try:
            return WrongVariant.read(tmp)
        finally:
            tmp.unlink()
    return WrongVariant.read(path)


def expected_reason(path: Path) -> str | None:
    match = re.search(r"^# reason: (.*)$", path.read_text(), re.M)
    return match.group(1).strip() if match else None


def release_and_source(root: Path, assignment: str = "mini"):
    """A mini-course assignment's release and source notebook (see build_mini_course)."""
    name = f"{assignment}.ipynb"
    return root / "release" / assignment / name, root / "source" / assignment / name


def submit_case(root: Path, student: str, case: WrongVariant) -> Path:
    release, source = release_and_source(root)
    return nbgrader_run.submit(root, "mini", student, filled_release(release, source, case.cells))


def submit_solution(root: Path, student: str, assignment: str = "mini") -> Path:
    release, source = release_and_source(root, assignment)
    return nbgrader_run.submit(root, assignment, student, filled_release(release, source))


def submit_wrong(root: Path, student: str, assignment: str = "mini") -> Path:
    release, source = release_and_source(root, assignment)
    return nbgrader_run.submit(root, assignment, student, filled_release(
        release, source, {"double_answer": "def double(x):\n    return x * 2.5\n"}))


def autograded_text(root: Path, student: str) -> str:
    path = root / "autograded" / student / "mini" / "mini.ipynb"
    return path.read_text() if path.is_file() else ""


def blank(root: Path):
    return nbformat.read(release_and_source(root)[0], as_version=4)


def break_the_references(root: Path, assignment: str = "mini") -> None:
    """Rewrite the mini course's references so that its own solution fails double_values
    (a reference a correct answer cannot match): a solution that loses points."""
    refs = reference_file.read(root, assignment)
    outputs = {"double_values": {"y": refs.reference("double_values")["y"] + 1.0, "n": np.array(12)}}
    reference_file.write(root, assignment, outputs, {"double_values": refs.checks["double_values"]}, 1.0)
