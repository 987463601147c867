"""What each student wrote for an assignment: the answer cells of the submitted notebook
(nbgrader `solution: true`), code and free text apart, by grade id; and what the release
already gave them, which must never count as shared work."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import course
from ..batch.sanitize import UnreadableNotebook, read_submission
from ..errors import AutograderError

ADDED_CELLS = "(cells the student added)"  # pseudo-question: code cells the release did not have
MAX_ANSWER = 200_000  # characters of one cell compared; a pasted data dump is cut there


@dataclass(frozen=True)
class Answer:
    question: str   # the answer cell's grade id
    kind: str       # "code" or "text" (a markdown answer)
    text: str


@dataclass
class Submission:
    student: str
    answers: dict[str, Answer] = field(default_factory=dict)
    problem: str | None = None   # why nothing could be read: the notebook is missing or broken
    note: str | None = None      # read, with a remark (a renamed notebook)


class ReleaseMissing(AutograderError):
    """The assignment has no release notebook to compare against (generate it first)."""


@dataclass(frozen=True)
class Release:
    """The blank notebook students started from."""
    questions: dict[str, str]    # grade id of each answer cell -> "code" or "text"
    given: dict[str, list[str]]  # "code" / "text" -> the release's cells of that kind, each
                                 # alone and all together (templates of answer cells included)


def _nbgrader(cell) -> dict:
    """The cell's nbgrader metadata; {} when a student's editing left something else there."""
    meta = cell.get("metadata", {})
    meta = meta.get("nbgrader", {}) if isinstance(meta, dict) else {}
    return meta if isinstance(meta, dict) else {}


def _grade_id(cell) -> str | None:
    grade_id = _nbgrader(cell).get("grade_id")
    return grade_id if isinstance(grade_id, str) else None


def _kind(cell) -> str:
    return "code" if cell.get("cell_type") == "code" else "text"


def _source(cell) -> str:
    """The cell's text, at most MAX_ANSWER characters (nbformat does not check its type)."""
    source = cell.get("source", "")
    source = "".join(source) if isinstance(source, list) else source
    return source[:MAX_ANSWER] if isinstance(source, str) else ""


def read_release(path: Path) -> Release:
    if not path.is_file():
        raise ReleaseMissing(f"no release notebook {path}: run `python -m autograder generate` first")
    nb = read_submission(path)
    questions = {_grade_id(c): _kind(c) for c in nb.cells if _nbgrader(c).get("solution")}
    given: dict[str, list[str]] = {"code": [], "text": []}
    for cell in nb.cells:
        given[_kind(cell)].append(_source(cell))
    for cells in given.values():
        cells.append("\n\n".join(cells))
    return Release(questions, given)


def answers_in(nb, release: Release) -> dict[str, Answer]:
    """The student's answer cells by grade id, and the code cells they added (one pseudo-question:
    copied code can be moved out of the answer cells). Locked cells the student changed are
    not theirs to answer and are left out."""
    found: dict[str, Answer] = {}
    added = []
    for cell in nb.cells:
        meta, grade_id, source = _nbgrader(cell), _grade_id(cell), _source(cell)
        if meta.get("solution") and grade_id in release.questions:
            found[grade_id] = Answer(grade_id, _kind(cell), source)
        elif not meta and _kind(cell) == "code" and source.strip():
            added.append(source)
    if added:
        found[ADDED_CELLS] = Answer(ADDED_CELLS, "code", "\n\n".join(added))
    return found


def read_class(root: Path, assignment: str) -> tuple[Release, list[Submission]]:
    """The release and every submission of `assignment` under submitted/, in student order.
    A submission whose notebook is missing or unreadable is kept, with its reason."""
    name = f"{assignment}.ipynb"
    release = read_release(root / "release" / assignment / name)
    submissions = []
    for folder in sorted((root / "submitted").glob(f"*/{assignment}")):
        if not folder.is_dir():
            continue
        submission = Submission(folder.parent.name)
        found, notes, _ = course.submitted_notebooks(folder, [assignment])
        path, submission.note = found[assignment], (notes[0] if notes else None)
        if path is None:
            submission.problem = f"{name} was not submitted"
        else:
            try:
                submission.answers = answers_in(read_submission(path), release)
            except UnreadableNotebook as exc:
                submission.problem = str(exc)
        submissions.append(submission)
    return release, submissions
