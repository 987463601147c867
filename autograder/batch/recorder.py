"""Recording judged submissions in nbgrader's gradebook: the rows and files `nbgrader autograde`
writes, made by nbgrader's own code, at a cost the grading process can afford per submission.

`nbgrader autograde` builds an application per run, opens the gradebook (a new database engine
with its schema checks) seven times per submission, reads and writes each notebook twice and
commits once per graded cell. Here one connection serves the whole batch; each submission is
one transaction (nbgrader's own `commit()` calls inside it only flush), so a submission is
recorded whole or not at all; and the recording pipeline (`sanitize.recording_pipeline`) runs
on the judged notebook in memory. What decides the rows is nbgrader's: `update_or_create_student`
and `update_or_create_submission` create them, `SaveAutoGrades`' per-cell rules score and
comment the cells (one query per notebook instead of one per cell), `AssignLatePenalties`' plugin sets the late penalty, and the course's other
steps run as configured. tests/batch/test_equivalence.py compares both gradebooks row by row and
both autograded folders file by file.
"""
from __future__ import annotations

import collections
import copy
import logging
import os
import shutil
import stat
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader import utils
from nbgrader.api import (
    Comment,
    Grade,
    Gradebook,
    GradeCell,
    InvalidEntry,
    MissingEntry,
    SolutionCell,
)
from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
)
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import scoped_session, sessionmaker
from traitlets.config import Config

from .sanitize import recording_pipeline

# Steps of nbgrader's default pipeline that never touch the gradebook (and any step whose class
# says `uses_gradebook = False`): they run inside the submission's transaction. Any other step a
# course configures may open the gradebook itself, so the transaction is committed before it
# runs (correct for any step, slower).
NO_GRADEBOOK = (IgnorePattern, ClearMetadataPreprocessor, LimitOutput, CheckCellMetadata)
# A concurrent writer (another batch, formgrader, the hub's service) can hold the gradebook for
# a moment, or create the same submission first: the submission's transaction runs again.
ATTEMPTS = 5


@dataclass
class Recorded:
    score: float
    max_score: float


class RecordingFailed(RuntimeError):
    """nbgrader could not record the submission; nothing of it was written to the gradebook."""


class GradebookRecorder:
    """Records the judged submissions of one batch, one transaction each, on one connection."""

    def __init__(self, root: Path, config: Config, db_url: str):
        self.root = Path(root)
        self.config = copy.deepcopy(config)
        self.coursedir = CourseDirectory(config=self.config)
        self.coursedir.root = str(self.root)
        # The converter nbgrader would run: its configured permissions, hooks and
        # exclude_overwriting are read from it, and its hooks called as nbgrader calls them.
        self.converter = Autograde(coursedir=self.coursedir, config=self.config)
        self.converter.log.setLevel(logging.ERROR)
        self.steps = [step(config=self.config) for step in recording_pipeline(self.config)]
        for step in self.steps:
            step.log.setLevel(logging.ERROR)
        self.gradebook = Gradebook(db_url, self.coursedir.course_id)
        try:
            self.connection = self.gradebook.engine.connect()
        except BaseException:
            self.gradebook.close()  # else its pooled connection stays open until a garbage collection
            raise
        # nbgrader's Gradebook methods commit their session; bound to a connection whose
        # transaction is open, a session's commit only flushes (join_transaction_mode).
        self.gradebook.db.remove()
        self.gradebook.db = scoped_session(sessionmaker(bind=self.connection, autoflush=True, expire_on_commit=False,
                                                        join_transaction_mode="rollback_only"))

    def close(self) -> None:
        self.gradebook.db.remove()
        self.connection.close()
        self.gradebook.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- one submission ---------------------------------------------------------------------
    def record(self, assignment: str, student: str, folder: Path, judged: dict, flags: dict | None = None) -> Recorded:
        """Record `judged` ({notebook name: judged notebook}) as the submission of `student`
        in `folder` (submitted/<student>/<assignment>/), as nbgrader's autograde would; then
        put `flags` (tamper.py) where formgrader shows them. Returns the score recorded."""
        for attempt in range(ATTEMPTS):
            try:
                return self._record_once(assignment, student, folder, judged, flags or {})
            except (IntegrityError, InvalidEntry, DBAPIError) as exc:
                if attempt == ATTEMPTS - 1 or not _transient(exc):
                    raise RecordingFailed(f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}") from None
                time.sleep(0.05 * 2 ** attempt)
        raise AssertionError("unreachable")

    def _record_once(self, assignment, student, folder, judged, flags) -> Recorded:
        gb = self.gradebook
        self.coursedir.assignment_id, self.coursedir.student_id = assignment, student
        self.converter.notebooks = [str(folder / f"{name}.ipynb") for name in sorted(judged)]
        self.converter.run_pre_convert_hook()
        dest = Path(self.coursedir.format_path(self.coursedir.autograded_directory, student, assignment))
        with self._transaction():
            gb.update_or_create_student(student)  # Autograde.create_student
            gb.find_assignment(assignment)
            timestamp = self.coursedir.get_existing_timestamp(str(folder))
            if timestamp:
                gb.update_or_create_submission(assignment, student, timestamp=timestamp)
            else:
                gb.update_or_create_submission(assignment, student)
            self._write_files(assignment, folder, dest)
            known = {nb.name for nb in gb.find_assignment(assignment).notebooks}
            for name in sorted(judged):
                if name in known:
                    self._record_notebook(assignment, student, name, judged[name], dest)
            if flags:
                self._flag(assignment, student, flags)
            self.converter.set_permissions(assignment, student)
            submission = gb.find_submission(assignment, student)
            recorded = Recorded(float(submission.score), float(submission.max_score))
        self.converter.run_post_convert_hook()
        return recorded

    @contextmanager
    def _transaction(self):
        self.connection.begin()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # SQLAlchemy session notices from nbgrader's own code
                yield
            self.gradebook.db.flush()
            self.connection.commit()
        except BaseException:
            if self.connection.in_transaction():
                self.connection.rollback()
            raise
        finally:
            self.gradebook.db.remove()

    def _commit_so_far(self) -> None:
        """Commit and begin again (before a configured step that may open the gradebook)."""
        self.gradebook.db.flush()
        self.connection.commit()
        self.connection.begin()

    def _record_notebook(self, assignment, student, name, nb, dest: Path) -> None:
        resources = {"unique_key": name, "output_files_dir": f"{name}_files",
                     "nbgrader": {"student": student, "assignment": assignment, "notebook": name,
                                  "db_url": str(self.gradebook.engine.url)}}
        nb = copy.deepcopy(nb)
        for step in self.steps:
            if type(step) is SaveAutoGrades:
                nb, resources = self._save_auto_grades(step, nb, resources)
            elif type(step) is AssignLatePenalties:
                self._assign_late_penalty(step, assignment, student, name)
            elif isinstance(step, NO_GRADEBOOK) or getattr(step, "uses_gradebook", True) is False:
                nb, resources = step(nb, resources)
            else:
                self._commit_so_far()
                nb, resources = step(nb, resources)
        dest.mkdir(parents=True, exist_ok=True)
        output = nbformat.writes(nb, version=4)  # what nbconvert's NotebookExporter writes
        (dest / f"{name}.ipynb").write_text(output if output.endswith("\n") else output + "\n", encoding="utf-8")

    def _save_auto_grades(self, step: SaveAutoGrades, nb, resources):
        """What SaveAutoGrades writes, by its rules (nbgrader.utils decides each cell's score and
        whether an answer is unchanged), with the notebook's grades and comments read in one
        query each instead of one query and one commit per cell."""
        info = resources["nbgrader"]
        db = self.gradebook.db
        submitted = self.gradebook.find_submission_notebook(info["notebook"], info["assignment"], info["student"])
        grades = dict(db.query(GradeCell.name, Grade).join(Grade, Grade.cell_id == GradeCell.id)
                      .filter(Grade.notebook_id == submitted.id))
        comments = dict(db.query(SolutionCell.name, Comment).join(Comment, Comment.cell_id == SolutionCell.id)
                        .filter(Comment.notebook_id == submitted.id))

        def find(rows, cell, what):
            name = cell.metadata["nbgrader"]["grade_id"]
            if name not in rows:
                raise MissingEntry(f"no {what} for cell {name} of {info['notebook']} in the gradebook")
            return rows[name]

        with db.no_autoflush:
            for cell in nb.cells:
                if utils.is_grade(cell):
                    grade = find(grades, cell, "grade")
                    grade.auto_score, _ = utils.determine_grade(cell, step.log)
                    grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
                if utils.is_solution(cell) or utils.is_task(cell):
                    comment = find(comments, cell, "comment")
                    unchanged = cell.metadata.nbgrader.get("checksum", None) == utils.compute_checksum(cell)
                    comment.auto_comment = "No response." if unchanged and not utils.is_task(cell) else None
        return nb, resources

    def _assign_late_penalty(self, step: AssignLatePenalties, assignment, student, name) -> None:
        """AssignLatePenalties.preprocess on this connection, with its configured plugin."""
        step.init_plugin()
        submission = self.gradebook.find_submission(assignment, student)
        notebook = self.gradebook.find_submission_notebook(name, assignment, student)
        notebook.late_submission_penalty = None
        if submission.total_seconds_late > 0:
            penalty = step.plugin_inst.late_submission_penalty(student, notebook.score, submission.total_seconds_late)
            if penalty is not None:
                notebook.late_submission_penalty = step._check_late_penalty(notebook, penalty)

    def _flag(self, assignment: str, student: str, flags: dict) -> None:
        """Each flagged line (tamper.py) in the comment of its answer cell (a line in a cell the
        student added goes to the notebook's first answer cell), and the notebook's test cells
        marked as needing a manual look, so formgrader lists the submission for review."""
        gb = self.gradebook
        for name, found in flags.items():
            notebook = gb.find_submission_notebook(name, assignment, student)
            answers = [c.name for c in notebook.comments]
            by_cell: dict[str, list[str]] = collections.defaultdict(list)
            for flag in found:
                if answers:
                    by_cell[flag.cell if flag.cell in answers else answers[0]].append(flag.describe())
            for cell, lines in by_cell.items():
                comment = gb.find_comment(cell, name, assignment, student)
                comment.auto_comment = ("Flagged for review (the code reaches into the grading machinery; "
                                        "the score is unchanged):\n" + "\n".join(lines))
            for grade in notebook.grades:
                if grade.auto_score is not None:
                    grade.needs_manual_grade = True

    # -- files, as nbgrader's converter lays them out ------------------------------------------
    def _write_files(self, assignment: str, folder: Path, dest: Path) -> None:
        """autograded/<student>/<assignment>/: emptied (autograde --force), the submission's
        other files (regular files only: a link a student submitted is not followed), then the
        source's other files over them (minus Autograde.exclude_overwriting)."""
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        ignore = list(self.coursedir.ignore) + ["*.ipynb"]  # nbgrader's own file selection
        submitted = [path for path in utils.find_all_files(str(folder), ignore) if stat.S_ISREG(os.lstat(path).st_mode)]
        _copy_over(str(folder), dest, submitted)
        source = self.coursedir.format_path(self.coursedir.source_directory, ".", assignment)
        excluded = {os.path.join(source, x) for x in self.converter.exclude_overwriting.get(assignment, [])}
        _copy_over(source, dest, [path for path in utils.find_all_files(source, ignore) if path not in excluded])


def _copy_over(source: str, dest: Path, files: list[str]) -> None:
    """Each file to the same place under `dest`, replacing what is there (as nbgrader does)."""
    for path in files:
        target = dest / os.path.relpath(path, source)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            target.unlink()
        shutil.copy(path, target)


def _transient(exc: Exception) -> bool:
    """A concurrent writer's doing, worth another attempt: the gradebook was locked, or the
    same row was created by someone else first."""
    text = str(exc).lower()
    return isinstance(exc, (IntegrityError, InvalidEntry)) or "locked" in text or "busy" in text or "deadlock" in text \
        or "could not serialize" in text
