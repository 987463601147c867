"""Where things live in a course directory.

    <root>/nbgrader_config.py              the course's nbgrader configuration
    <root>/source/<assignment>/*.ipynb     instructor notebooks (single source of truth)
    <root>/release/, <root>/solutions/     generated from source/, committed
    <root>/grading/<assignment>/checks.py  hidden-check definitions (never released)
    <root>/grading/<assignment>/reference.npz
                                           reference outputs, produced by running the
                                           solution (generated, not committed)
"""
from __future__ import annotations

import os
from pathlib import Path

COURSE_ROOT_ENV = "AUTOGRADER_COURSE_ROOT"


class CourseNotFound(FileNotFoundError):
    """No course directory (nbgrader_config.py beside grading/) around the working directory."""


def find_course_root(start: str | os.PathLike | None = None) -> Path:
    """The course root: $AUTOGRADER_COURSE_ROOT, else the nearest parent holding the course files.

    nbgrader executes notebooks inside the course (autograded/<student>/<assignment>/,
    solutions/<assignment>/), so walking up from the working directory finds it.
    """
    if os.environ.get(COURSE_ROOT_ENV):
        root = Path(os.environ[COURSE_ROOT_ENV]).resolve()
        if not (root / "grading").is_dir():
            raise CourseNotFound(f"{COURSE_ROOT_ENV}={root} has no grading/ directory")
        return root
    here = Path(start or os.getcwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "nbgrader_config.py").is_file() and (candidate / "grading").is_dir():
            return candidate
    raise CourseNotFound(
        f"no course directory (nbgrader_config.py and grading/) at or above {here}; "
        f"set {COURSE_ROOT_ENV}"
    )


def grading_dir(root: Path, assignment: str) -> Path:
    return root / "grading" / assignment


def checks_path(root: Path, assignment: str) -> Path:
    return grading_dir(root, assignment) / "checks.py"


def reference_path(root: Path, assignment: str) -> Path:
    return grading_dir(root, assignment) / "reference.npz"


def assignments(root: Path) -> list[str]:
    """Assignment names: the folders of source/, in name order."""
    return sorted(p.name for p in (root / "source").iterdir() if p.is_dir() and not p.name.startswith("."))


def source_notebooks(root: Path, assignment: str) -> list[Path]:
    return sorted((root / "source" / assignment).glob("*.ipynb"))
