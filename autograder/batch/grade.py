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
import queue
import tempfile
import threading
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
from ..kernels import kernel_env
from .pool import Job, ZygotePool, prefetched
from .replay import ReplayOutputs
from .sanitize import UnreadableNotebook, read_submission, sanitize
from ..runner.cells import TRUNCATED
from .verdicts import apply_results, error_output, read_crash

DONE_MARKER = ".autograder-done.json"
# Submissions sanitised ahead of the workers: while the zygote imports TensorFlow (seconds),
# the grading process has a core to itself and prepares this many (measured: ~8 % less wall
# time on the 40-notebook benchmark than preparing only one per worker ahead).
PREPARED_AHEAD = 30


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
    assignment: str = ""
    run_seconds: float = 0.0  # the notebooks' own run time in their children


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
    """One assignment's part of a batch: what to run, how to judge it, the records."""

    def __init__(self, root: Path, assignment: str, options: Options,
                 progress: Callable[[Record], None], gradebook_lock: threading.Lock):
        self.root, self.assignment, self.options = root, assignment, options
        self.progress = progress  # called with each record as the submission is recorded
        self.gradebook_lock = gradebook_lock  # one user of the gradebook at a time, batch-wide
        self.records: list[Record] = []
        self.pending: dict[str, dict] = {}
        self.found: dict[str, Path] = {}
        self.total = 0
        self.checks = None
        self.work_root: Path | None = None
        self.notebooks: list[str] = []
        self.ready: queue.Queue = queue.Queue()
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
    def prepare(self, student: str, folder: Path, notebooks: list[str]):
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
    def select(self, students: list[str] | None) -> list[str]:
        """The submissions to grade now. Unknown students and submissions already graded get
        their records here; nothing is run yet."""
        self.notebooks = self.expected_notebooks()
        if not course.reference_path(self.root, self.assignment).is_file():
            raise GradingError(f"reference outputs of {self.assignment!r} are missing: run "
                               f"`python -m autograder generate {self.assignment}`")
        self.found = found = self.submissions()
        wanted = students or sorted(found)
        for student in wanted:
            if student not in found:
                self.records.append(self._record(student, "rejected", reasons=[
                    f"no submission in submitted/{student}/{self.assignment}/"]))
        todo = [s for s in wanted if s in found and (self.options.force or not self.is_done(s))]
        for s in wanted:
            if s in found and s not in todo:
                self.records.append(self._record(s, "skipped", *self._safe_score(s),
                                                 reasons=["already graded (use --force to regrade)"]))
        self.total = len(todo)
        if todo:
            self.results.mkdir(parents=True, exist_ok=True)
            self.staging.mkdir(parents=True, exist_ok=True)
            os.chmod(course.reference_path(self.root, self.assignment), 0o600)
            self.work_root = Path(tempfile.mkdtemp(prefix=f"autograder-{self.assignment}-"))
            # Only root (or the grader) may enter it: other users of the machine (students on
            # a shared hub) cannot read the submissions being graded. A notebook's process
            # sees its own job folder only, mounted on its own (zygote.isolate_filesystem).
            os.chmod(self.work_root, 0o700)
            self.checks = hidden.recorded_checks(self.root, self.assignment)
        return todo

    def jobs_for(self, student: str) -> list[Job]:
        """Sanitise one submission and return its notebooks to run. Runs in the batch's
        preparing thread, ahead of the workers; a submission left with nothing to run (every
        notebook missing or unreadable) waits in `self.ready` for the grading thread."""
        started = time.monotonic()
        with self.gradebook_lock:
            plan, notes = self.prepare(student, self.found[student], self.notebooks)
        info = {"left": 0, "notes": notes, "problems": [], "started": started, "run_seconds": 0.0}
        jobs = []
        for name, nb, problem in plan:
            if problem:
                info["problems"].append(problem)
                self._finish_notebook(student, name, self._rejected(nb, problem))
                continue
            job = self._job(student, name, nb, self.found[student], self.work_root)
            job.extra = {"grader": self, "student": student, "notebook": name, "nb": nb}
            jobs.append(job)
        info["left"] = len(jobs)  # complete before any of its jobs can finish
        self.pending[student] = info
        if not jobs:
            self.ready.put(student)
        return jobs

    def record_ready(self) -> None:
        """Record the submissions that had nothing to run (grading thread)."""
        while True:
            try:
                student = self.ready.get_nowait()
            except queue.Empty:
                return
            self._finish_student(student)

    def job_done(self, job: Job, event: dict) -> None:
        """Judge one notebook's run; the submission is recorded once all its notebooks are in."""
        student, name, nb = job.extra["student"], job.extra["notebook"], job.extra["nb"]
        fault = _fault(event, self.options)
        crash = read_crash(Path(job.journal)) if event.get("code") == 70 else None
        if crash:
            fault = f"the grader could not run this notebook ({crash})"
        judged, stopped = apply_results(nb, Path(job.journal), Path(job.out_dir), self.root,
                                        self.assignment, fault, self.checks)
        info = self.pending[student]
        info["run_seconds"] += float(event.get("seconds") or 0.0)
        if stopped:
            info["problems"].append(f"{name}.ipynb {stopped}")
        info["problems"].extend(self._cell_notes(name, judged))
        self._finish_notebook(student, name, judged)
        shutil.rmtree(job.work_dir, ignore_errors=True)
        info["left"] -= 1
        if info["left"] == 0:
            self._finish_student(student)

    def _finish_student(self, student: str) -> None:
        record = self._complete(student, self.found[student], self.pending.pop(student))
        self.records.append(record)
        self.progress(record)

    def cleanup(self) -> None:
        if self.work_root is not None:
            shutil.rmtree(self.work_root, ignore_errors=True)

    def _record(self, student: str, status: str, score: float = 0.0, max_score: float = 0.0,
                reasons: list[str] | None = None) -> Record:
        return Record(student, status, score, max_score, reasons or [], assignment=self.assignment)

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
            with self.gradebook_lock:
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
                      round(now - recording, 3), self.assignment, round(info["run_seconds"], 3))


def open_pool(root: Path, options: Options):
    """Where the notebooks run: the local zygote, or the workers of a Dask cluster."""
    if options.scheduler:
        from .dask_pool import DaskPool
        return DaskPool(options.scheduler, env={"TF_CPP_MIN_LOG_LEVEL": "1"})
    return ZygotePool(options.workers, env=kernel_env(root))


def grade_assignments(root: Path, assignments: list[str], students: list[str] | None = None,
                      options: Options | None = None,
                      progress: Callable[[Record, int, int], None] | None = None) -> list[Record]:
    """Grade several assignments in one batch: one pool (one TensorFlow import) runs the
    notebooks of all of them, so a worker freed by one assignment goes on with the next.
    A preparing thread sanitises submissions ahead of the workers (PREPARED_AHEAD) while
    this thread judges and records the finished ones (one gradebook user at a time).
    `progress(record, done, total)` is called as each submission is recorded."""
    options = options or Options()
    done = 0

    def counted(record: Record) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(record, done, sum(g.total for g in graders))

    lock = threading.Lock()
    graders = [BatchGrader(root, a, options, counted, lock) for a in assignments]

    def record_ready() -> None:
        for grader in graders:
            grader.record_ready()

    def on_done(job: Job, event: dict) -> None:
        record_ready()
        job.extra["grader"].job_done(job, event)

    with contextlib.ExitStack() as stack:
        todo = []
        for grader in graders:
            stack.callback(grader.cleanup)  # job folders go after the pool has stopped (exit order)
            todo += [(grader, student) for student in grader.select(students)]
        # The costliest assignments first: the batch then ends on short notebooks, not with one
        # worker busy on a long one while the others idle.
        cost = {g.assignment: hidden.solution_seconds(root, g.assignment) or 0.0 for g in graders if g.total}
        todo.sort(key=lambda item: -cost[item[0].assignment])
        if todo:
            pool = stack.enter_context(open_pool(root, options))  # imports TensorFlow meanwhile
            jobs = stack.enter_context(prefetched(
                (job for grader, student in todo for job in grader.jobs_for(student)),
                ahead=options.workers + PREPARED_AHEAD))
            pool.run(jobs, on_done)
            record_ready()
    return [record for grader in graders for record in grader.records]


def grade(root: Path, assignment: str, students: list[str] | None = None, options: Options | None = None,
          progress=None) -> list[Record]:
    """Grade every submission of one assignment (see grade_assignments)."""
    return grade_assignments(root, [assignment], students, options, progress)
