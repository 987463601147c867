"""What each student wrote for an assignment: the answer cells of the submitted notebook
(nbgrader `solution: true`), code and free text apart, by grade id; and what the release
already gave them, which must never count as shared work."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..batch.sanitize import UnreadableNotebook, read_submission
from ..errors import AutograderError

ADDED_CELLS = "(cells the student added)"  # pseudo-question: code cells the release did not have


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


def _grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _kind(cell) -> str:
    return "code" if cell.get("cell_type") == "code" else "text"


def read_release(path: Path) -> Release:
    if not path.is_file():
        raise ReleaseMissing(f"no release notebook {path}: run `python -m autograder generate` first")
    nb = read_submission(path)
    questions = {_grade_id(c): _kind(c) for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")}
    given: dict[str, list[str]] = {"code": [], "text": []}
    for cell in nb.cells:
        given[_kind(cell)].append(cell.source)
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
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and _grade_id(cell) in release.questions:
            found[_grade_id(cell)] = Answer(_grade_id(cell), _kind(cell), cell.source)
        elif not meta and cell.cell_type == "code" and cell.source.strip():
            added.append(cell.source)
    if added:
        found[ADDED_CELLS] = Answer(ADDED_CELLS, "code", "\n\n".join(added))
    return found


def submitted_notebook(folder: Path, name: str) -> tuple[Path | None, str | None]:
    """The notebook `name` in a submission folder; a single notebook of another name stands for
    it (a renamed notebook, as the batch grader takes it). Returns (path, note)."""
    wanted = folder / name
    if wanted.is_file():
        return wanted, None
    others = sorted(folder.glob("*.ipynb"))
    if len(others) == 1:
        return others[0], f"{others[0].name} read as {name} (the notebook was renamed)"
    return None, None


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
        path, submission.note = submitted_notebook(folder, name)
        if path is None:
            submission.problem = f"{name} was not submitted"
        else:
            try:
                submission.answers = answers_in(read_submission(path), release)
            except UnreadableNotebook as exc:
                submission.problem = str(exc)
        submissions.append(submission)
    return release, submissions
