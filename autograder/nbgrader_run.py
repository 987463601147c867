"""Drive the real nbgrader on a course directory: generate, submit, autograde, read scores.

Used by `generate`, the demo and the test suite. nbgrader runs as a subprocess from the
course directory (its nbgrader_config.py applies); scores are read back through
nbgrader's own Gradebook API, the system of record.
"""
from __future__ import annotations

import datetime as _dt
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from . import course
from .errors import AutograderError
from .kernels import kernel_env


class NbgraderFailed(AutograderError):
    """An nbgrader command exited with an error; the message quotes its last output lines."""


def nbgrader(root: Path, *args: str, timeout: float | None = None, check: bool = True) -> str:
    """Run `nbgrader ARGS` in the course directory and return its combined output; with
    check=False a failing exit status is not an error (nbgrader exits 1 when any one
    submission of a batch fails)."""
    cmd = [sys.executable, "-m", "nbgrader", *args]
    proc = subprocess.run(
        cmd, cwd=root, env=kernel_env(root), capture_output=True, text=True, timeout=timeout,
    )
    output = proc.stdout + proc.stderr
    if check and proc.returncode != 0:
        tail = "\n".join(output.strip().splitlines()[-25:])
        raise NbgraderFailed(f"`nbgrader {' '.join(args)}` exited with {proc.returncode}:\n{tail}")
    return output


def db_url(root: Path) -> str:
    return course.gradebook_url(root)


def make_workspace(root: Path, dest: Path, assignments: list[str]) -> Path:
    """A throwaway course holding `assignments` (source, grading files, references) with
    their release generated, so nbgrader knows their grade cells."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(root / "nbgrader_config.py", dest / "nbgrader_config.py")
    for assignment in assignments:
        shutil.copytree(root / "source" / assignment, dest / "source" / assignment, dirs_exist_ok=True)
        shutil.copytree(course.grading_dir(root, assignment), course.grading_dir(dest, assignment),
                        dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        nbgrader(dest, "generate_assignment", assignment, "--force")
    return dest


def submit(root: Path, assignment: str, student: str, notebook, name: str | None = None,
           when: _dt.datetime | None = None) -> Path:
    """Place a notebook where `nbgrader collect` puts it: submitted/<student>/<assignment>/."""
    folder = root / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    name = name or f"{assignment}.ipynb"
    nbformat.write(notebook, folder / name)
    stamp = (when or _dt.datetime.now(_dt.timezone.utc)).strftime("%Y-%m-%d %H:%M:%S.%f %Z")
    (folder / "timestamp.txt").write_text(stamp)
    return folder / name


def autograde(root: Path, assignment: str, check: bool = True) -> str:
    """`nbgrader autograde` every submission of `assignment` (regrading what was graded)."""
    return nbgrader(root, "autograde", assignment, "--create", "--force", check=check)


def cell_scores(root: Path, assignment: str) -> dict[str, dict[str, float]]:
    """{student: {grade cell id: points}} for every autograded submission of `assignment`."""
    result: dict[str, dict[str, float]] = {}
    with Gradebook(db_url(root)) as gb:
        for submission in gb.find_assignment(assignment).submissions:
            scores: dict[str, float] = {}
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    scores[grade.name] = float(grade.score)
            result[submission.student.id] = scores
    return result


def max_scores(root: Path, assignment: str) -> dict[str, float]:
    """{grade cell id: max points} of `assignment`, as nbgrader recorded them."""
    with Gradebook(db_url(root)) as gb:
        return {
            cell.name: float(cell.max_score)
            for notebook in gb.find_assignment(assignment).notebooks
            for cell in notebook.grade_cells
        }


def auto_graded_ids(root: Path, assignment: str) -> set[str]:
    """Grade cells scored automatically (test cells), as opposed to manually graded answers."""
    with Gradebook(db_url(root)) as gb:
        return {
            cell.name
            for notebook in gb.find_assignment(assignment).notebooks
            for cell in notebook.grade_cells
            if cell.cell_type == "code"
        }

