"""The batch grader's marker in autograded/<student>/<assignment>/, written last when a
submission is recorded: a killed batch resumes where it stopped, and the class report reads
why a submission could not run normally and what was flagged for review."""
from __future__ import annotations

import json
from pathlib import Path

DONE_MARKER = ".autograder-done.json"


def marker_path(root: Path, student: str, assignment: str) -> Path:
    return root / "autograded" / student / assignment / DONE_MARKER


def is_done(root: Path, student: str, assignment: str) -> bool:
    return marker_path(root, student, assignment).is_file()


def write_marker(root: Path, student: str, assignment: str, **data) -> None:
    marker_path(root, student, assignment).write_text(json.dumps(data))


def read_marker(root: Path, student: str, assignment: str) -> dict:
    """What the batch wrote ({} for a submission it did not grade)."""
    try:
        data = json.loads(marker_path(root, student, assignment).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
