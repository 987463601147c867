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

from .errors import AutograderError

COURSE_ROOT_ENV = "AUTOGRADER_COURSE_ROOT"


class CourseNotFound(AutograderError, FileNotFoundError):
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


def load_config(root: Path):
    """The course's nbgrader configuration (nbgrader_config.py), as nbgrader loads it."""
    from traitlets.config.loader import PyFileConfigLoader
    return PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()


def gradebook_url(root: Path, config=None) -> str:
    """The gradebook's database URL as nbgrader computes it from the course configuration
    (CourseDirectory.db_url: sqlite under the course folder unless nbgrader_config.py says)."""
    from nbgrader.coursedir import CourseDirectory
    config = config if config is not None else load_config(root)
    return CourseDirectory(config=config, root=str(root)).db_url


def submitted_notebooks(folder: Path, names: list[str]) -> tuple[dict[str, Path | None], list[str], list[Path]]:
    """Which file of a submission folder stands for each of the assignment's notebooks (`names`,
    without `.ipynb`): the file of that name or, when the assignment has one notebook and the
    folder holds one other, that one (renamed). The batch grader and the similarity report
    read submissions by this one rule. Returns ({name: path or None}, notes, the notebooks that
    are not part of the assignment)."""
    present = sorted(p for p in folder.glob("*.ipynb"))
    by_name = {p.stem: p for p in present}
    extras = [p for p in present if p.stem not in names]
    found: dict[str, Path | None] = {}
    notes = []
    for name in names:
        path = by_name.get(name)
        if path is None and len(names) == 1 and len(extras) == 1:
            path = extras.pop()
            notes.append(f"{path.name} taken as {name}.ipynb (the notebook was renamed)")
        found[name] = path
    return found, notes, extras
