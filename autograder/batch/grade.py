"""Grade every submission of an assignment: sanitise with nbgrader, execute in forked
pre-warmed children (several at once), judge the hidden checks here, and let nbgrader's own
autograde pipeline write the autograded notebooks and the gradebook.

Stage 1 (parallel):  submitted/<s>/<a>/*.ipynb -> sanitised -> child runs the cells
                     -> journal + recorded outputs -> judged notebook  (.autograder/<a>/results/)
Stage 2 (in order):  nbgrader Autograde on the judged copies, with ReplayOutputs in place
                     of Execute -> autograded/<s>/<a>/ and the gradebook
A marker file per (student, assignment) is written last, so a killed batch resumes where
it stopped and never grades a submission twice unless asked to (--force).
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import nbformat
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import AssignLatePenalties, LimitOutput, SaveAutoGrades
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from .. import course, hidden
from ..preprocessors import StripBenignStderr
from ..references import kernel_env
from .pool import Job, ZygotePool
from .replay import ReplayOutputs
from .sanitize import UnreadableNotebook, read_submission, sanitize
from ..runner.cells import TRUNCATED
from .verdicts import apply_results, error_output, read_crash

DONE_MARKER = ".autograder-done.json"


class GradingError(RuntimeError):
    """The batch cannot start (no such assignment in the gradebook, missing references)."""


@dataclass
class Options:
    workers: int = os.cpu_count() or 1
    wall_timeout: float = 600.0
    cell_timeout: float | None = None  # default: nbgrader_config's Execute.timeout
    memory_mb: int = 4096
    output_limit: int = 2_000_000
    force: bool = False
    scheduler: str | None = None  # a Dask scheduler address: run the notebooks on its workers


@dataclass
class Record:
    student: str
    status: str  # graded | rejected | skipped
    score: float = 0.0
    max_score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    seconds: float = 0.0
    gradebook_seconds: float = 0.0  # nbgrader's autograde pipeline and gradebook write (serial)


def load_config(root: Path) -> Config:
    return PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()


def _grade_ids(nb) -> set[str]:
    return {c.metadata["nbgrader"]["grade_id"] for c in nb.cells
            if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")}


def _fault(event: dict, options: Options) -> str | None:
    status = event.get("status")
    if status == "lost":
        return event.get("reason") or "the notebook's worker was lost"
    if status == "timeout":
        return f"the submission ran longer than the {options.wall_timeout:g} s limit and was stopped"
    if status == "signaled":
        sig = event.get("signal")
        names = {9: "SIGKILL (memory or process limit)", 11: "SIGSEGV (segmentation fault)", 6: "SIGABRT"}
        return f"the Python process crashed with signal {sig} {names.get(sig, '')}".strip()
    if status == "exited" and event.get("code") not in (0, None):
        return f"the Python process exited early (exit status {event.get('code')})"
    return None


class BatchGrader:
    def __init__(self, root: Path, assignment: str, options: Options,
                 progress: Callable[[Record, int, int], None] | None = None):
        self.root, self.assignment, self.options = root, assignment, options
        self.progress = progress or (lambda record, done, total: None)
        self.config = load_config(root)
        self.db_url = CourseDirectory(config=self.config).db_url
        if options.cell_timeout is None:
            options.cell_timeout = float(self.config.Execute.get("timeout", 120) or 120)
        self.state = root / ".autograder" / assignment
        self.results = self.state / "results"
        self.staging = self.state / "staging"

    # -- what there is to grade ----------------------------------------------------------
    def expected_notebooks(self) -> list[str]:
        with Gradebook(self.db_url) as gb:
            try:
                return [nb.name for nb in gb.find_assignment(self.assignment).notebooks]
            except MissingEntry:
                raise GradingError(
                    f"assignment {self.assignment!r} is not in the gradebook: run "
                    f"`nbgrader generate_assignment {self.assignment}` (or `python -m autograder generate`)"
                ) from None

    def submissions(self) -> dict[str, Path]:
        base = self.root / "submitted"
        if not base.is_dir():
            return {}
        return {p.parent.name: p for p in sorted(base.glob(f"*/{self.assignment}")) if p.is_dir()}

    def is_done(self, student: str) -> bool:
        return (self.root / "autograded" / student / self.assignment / DONE_MARKER).is_file()

    # -- stage 1 ---------------------------------------------------------------------------
    def prepare(self, student: str, folder: Path, notebooks: list[str], work_root: Path):
        """Sanitised notebooks to run for one submission, and the notes/rejections about it."""
        notes: list[str] = []
        present = sorted(p for p in folder.glob("*.ipynb"))
        by_name = {p.stem: p for p in present}
        extras = [p for p in present if p.stem not in notebooks]
        plan = []
        for name in notebooks:
            path = by_name.get(name)
            if path is None and len(notebooks) == 1 and len(extras) == 1:
                path = extras.pop()
                notes.append(f"{path.name} graded as {name}.ipynb (the notebook was renamed)")
            problem = None
            if path is None:
                problem = f"{name}.ipynb was not submitted"
                nb = self.blank(name)
            else:
                try:
                    nb = read_submission(path)
                    before = _grade_ids(nb)
                    nb = sanitize(nb, self.config, self.db_url, self.assignment, name, student)
                    restored = sorted(_grade_ids(nb) - before)
                    if restored:
                        notes.append(f"{name}.ipynb: cells {', '.join(restored)} were missing and were "
                                     f"restored from the source")
                except UnreadableNotebook as exc:
                    problem = str(exc)
                    nb = self.blank(name)
            plan.append((name, nb, problem))
        for extra in extras:
            notes.append(f"{extra.name} is not part of the assignment and was not graded")
        return plan, notes

    def blank(self, name: str):
        release = self.root / "release" / self.assignment / f"{name}.ipynb"
        nb = nbformat.read(release, as_version=4)
        return sanitize(nb, self.config, self.db_url, self.assignment, name, "blank")

    # -- stage 2 ---------------------------------------------------------------------------
    def record_in_gradebook(self, student: str) -> None:
        """nbgrader's own autograde pipeline with Execute replaced by ReplayOutputs. Its
        sanitising pass is left empty: prepare() ran the same preprocessors on this very
        notebook (ReplayOutputs checks the layout still matches); so is the second metadata
        validation nbgrader runs after grading. Both repeat work with nothing left to find."""
        config = Config(self.config)
        config.merge(Config({
            "CourseDirectory": {"submitted_directory": str(self.staging), "root": str(self.root)},
            "Autograde": {"sanitize_preprocessors": [], "autograde_preprocessors": [
                ReplayOutputs, StripBenignStderr, ClearMetadataPreprocessor, LimitOutput,
                SaveAutoGrades, AssignLatePenalties]},
            "ReplayOutputs": {"results_dir": str(self.results)},
        }))
        coursedir = CourseDirectory(config=config)
        coursedir.assignment_id = self.assignment
        coursedir.student_id = student
        app = Autograde(coursedir=coursedir, config=config)
        app.force = True
        app.create_student = True
        app.log.setLevel(logging.ERROR)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SQLAlchemy session notices from nbgrader's own code
            app.start()

    def score(self, student: str) -> tuple[float, float]:
        with Gradebook(self.db_url) as gb:
            sub = gb.find_submission(self.assignment, student)
            return float(sub.score), float(sub.max_score)

    # -- the batch -------------------------------------------------------------------------
    def run(self, students: list[str] | None = None) -> list[Record]:
        notebooks = self.expected_notebooks()
        if not course.reference_path(self.root, self.assignment).is_file():
            raise GradingError(f"reference outputs of {self.assignment!r} are missing: run `python -m autograder generate {self.assignment}`")
        found = self.submissions()
        records: list[Record] = []
        wanted = students or sorted(found)
        for student in wanted:
            if student not in found:
                records.append(Record(student, "rejected", reasons=[f"no submission in submitted/{student}/{self.assignment}/"]))
        todo = [s for s in wanted if s in found and (self.options.force or not self.is_done(s))]
        for s in wanted:
            if s in found and s not in todo:
                records.append(Record(s, "skipped", *self._safe_score(s), reasons=["already graded (use --force to regrade)"]))
        total = len(todo)
        if not todo:
            return records
        self.results.mkdir(parents=True, exist_ok=True)
        self.staging.mkdir(parents=True, exist_ok=True)
        os.chmod(course.reference_path(self.root, self.assignment), 0o600)
        with tempfile.TemporaryDirectory(prefix="autograder-run-") as tmp, contextlib.ExitStack() as stack:
            os.chmod(tmp, 0o755)
            work_root = Path(tmp)
            pending: dict[str, dict] = {}
            jobs = []
            pool = None
            for student in todo:
                started = time.monotonic()
                plan, notes = self.prepare(student, found[student], notebooks, work_root)
                pending[student] = {"left": 0, "notes": notes, "problems": [], "started": started}
                for name, nb, problem in plan:
                    if problem:
                        pending[student]["problems"].append(problem)
                        self._finish_notebook(student, name, self._rejected(nb, problem))
                        continue
                    if pool is None:  # the zygote's TensorFlow import overlaps what follows
                        pool = stack.enter_context(self._pool())
                        checks = hidden.recorded_checks(self.root, self.assignment)
                    job = self._job(student, name, nb, found[student], work_root)
                    job.extra = {"student": student, "notebook": name, "nb": nb}
                    pending[student]["left"] += 1
                    jobs.append(job)
            done = 0

            def finish_student(student: str) -> None:
                nonlocal done
                info = pending.pop(student)
                record = self._complete(student, found[student], info)
                done += 1
                records.append(record)
                self.progress(record, done, total)

            for student in list(pending):
                if pending[student]["left"] == 0:
                    finish_student(student)

            def on_done(job: Job, event: dict) -> None:
                student, name, nb = job.extra["student"], job.extra["notebook"], job.extra["nb"]
                fault = _fault(event, self.options)
                crash = read_crash(Path(job.journal)) if event.get("code") == 70 else None
                if crash:
                    fault = f"the grader could not run this notebook ({crash})"
                judged, stopped = apply_results(nb, Path(job.journal), Path(job.out_dir), self.root,
                                                self.assignment, fault, checks)
                if stopped:
                    pending[student]["problems"].append(f"{name}.ipynb {stopped}")
                pending[student]["problems"].extend(self._cell_notes(name, judged))
                self._finish_notebook(student, name, judged)
                shutil.rmtree(job.work_dir, ignore_errors=True)
                pending[student]["left"] -= 1
                if pending[student]["left"] == 0:
                    finish_student(student)

            if jobs:
                pool.run(jobs, on_done)
        return records

    def _pool(self):
        """Where the notebooks run: the local zygote, or the workers of a Dask cluster."""
        if self.options.scheduler:
            from .dask_pool import DaskPool
            return DaskPool(self.options.scheduler, env={"TF_CPP_MIN_LOG_LEVEL": "1"})
        return ZygotePool(self.options.workers, env=kernel_env(self.root))

    def _cell_notes(self, name: str, nb) -> list[str]:
        """Limits a cell ran into, for the record (the cell's own outputs say it too)."""
        notes = []
        for index, cell in enumerate(nb.cells):
            outputs = cell.get("outputs", [])
            if any(o.get("ename") == "CellTimeout" for o in outputs):
                notes.append(f"{name}.ipynb cell {index}: stopped at the per-cell limit of "
                             f"{self.options.cell_timeout:g} s")
            if any(TRUNCATED in str(o.get("text", "")) for o in outputs):
                notes.append(f"{name}.ipynb cell {index}: output truncated after "
                             f"{self.options.output_limit:,} characters")
        return notes

    def _safe_score(self, student: str) -> tuple[float, float]:
        try:
            return self.score(student)
        except MissingEntry:
            return 0.0, 0.0

    def _job(self, student: str, name: str, nb, folder: Path, work_root: Path) -> Job:
        job_dir = work_root / f"{student}--{name}"
        work = job_dir / "work"
        shutil.copytree(folder, work, ignore=shutil.ignore_patterns("*.ipynb", "timestamp.txt"))
        # The child sees a private course holding only this assignment's checks (probes),
        # never the references, the solutions or other students' work.
        private = job_dir / "course"
        shutil.copytree(course.grading_dir(self.root, self.assignment), course.grading_dir(private, self.assignment),
                        ignore=shutil.ignore_patterns("reference*.npz", "__pycache__"))
        cells_path = job_dir / "cells.json"
        cells_path.write_text(json.dumps([{"cell_type": c.cell_type, "source": c.source, "id": c.get("id")}
                                          for c in nb.cells]))
        return Job(id=f"{student}/{name}", cells_path=str(cells_path), work_dir=str(work),
                   journal=str(work / ".journal.jsonl"), out_dir=str(job_dir / "records"),
                   course_root=str(private), wall_timeout=self.options.wall_timeout,
                   cell_timeout=self.options.cell_timeout, memory_mb=self.options.memory_mb,
                   output_limit=self.options.output_limit, hide=str(self.root))

    def _rejected(self, nb, problem: str):
        """The blank notebook with the reason on every code cell: each test cell scores 0."""
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [error_output("SubmissionRejected", problem)]
        return nb

    def _finish_notebook(self, student: str, name: str, nb) -> None:
        folder = self.results / student
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / f"{name}.ipynb")

    def _complete(self, student: str, folder: Path, info: dict) -> Record:
        stage = self.staging / student / self.assignment
        if stage.exists():
            shutil.rmtree(stage)
        shutil.copytree(folder, stage, ignore=shutil.ignore_patterns("*.ipynb"))
        for judged in (self.results / student).glob("*.ipynb"):
            shutil.copy2(judged, stage / judged.name)
        reasons = info["problems"] + info["notes"]
        recording = time.monotonic()
        try:
            self.record_in_gradebook(student)
            score, max_score = self.score(student)
            status = "graded"
        except Exception as exc:  # one broken submission never stops the batch
            score, max_score, status = 0.0, 0.0, "rejected"
            reasons.append(f"nbgrader could not record the grade: {type(exc).__name__}: {exc}")
        out = self.root / "autograded" / student / self.assignment
        if status == "graded":
            (out / DONE_MARKER).write_text(json.dumps({
                "reasons": reasons, "problems": info["problems"], "notes": info["notes"], "score": score}))
        now = time.monotonic()
        return Record(student, status, score, max_score, reasons, round(now - info["started"], 2),
                      round(now - recording, 3))


def grade(root: Path, assignment: str, students: list[str] | None = None, options: Options | None = None,
          progress=None) -> list[Record]:
    return BatchGrader(root, assignment, options or Options(), progress).run(students)
