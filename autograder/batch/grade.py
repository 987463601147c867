"""Grade every submission of an assignment: sanitise with nbgrader, execute in forked
pre-warmed children (several at once), judge the hidden checks here, and let nbgrader's own
autograde pipeline write the autograded notebooks and the gradebook.

Stage 1 (parallel):  submitted/<s>/<a>/*.ipynb -> sanitised -> child runs the cells
                     -> journal + record streams -> judged notebook (in memory)
Stage 2 (in order):  the rest of nbgrader's autograde pipeline on the judged notebooks, one
                     gradebook transaction per submission (recorder.py)
                     -> autograded/<s>/<a>/ and the gradebook
A marker per (student, assignment) is written last (marker.py), so a killed batch resumes
where it stopped and never grades a submission twice unless asked to (--force).

Before any submission of an assignment is recorded, the reference solution runs through the
same pool as one more notebook and must earn every automatic point: when it does not (a cache
or interpreter the children cannot see, missing data), the batch stops with that reason
instead of recording a class of zeros. One submission that cannot be judged or recorded,
whatever the reason, becomes a record with that reason, and the batch goes on.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import shutil
import stat
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import OverwriteCells

from .. import course, reference_file
from ..errors import AutograderError, ExitStatus
from ..kernels import kernel_env
from ..runner import replayed
from ..runner.cells import TRUNCATED
from ..runner.pool import Job, ZygotePool
from ..runner.protocol import RECORDS, VERIFIED, Event, Request
from ..submissions import filled_release, grade_id
from . import workroot
from .gate import SolutionGate
from .gradebook import hidden_checks_by_cell, submission_score
from .marker import is_done, write_marker
from .prefetch import prefetched
from .recorder import GradebookRecorder, RecordingFailed
from .sanitize import Sanitizer, UnreadableNotebook, read_submission, sanitizers
from .tamper import find_tampering, student_cells
from .verdicts import (
    MISSING_CHECK,
    ChildResults,
    apply_results,
    error_output,
    is_test_cell,
    lost_points,
    missing_checks,
)

# Submissions sanitised ahead of the workers: while the zygote imports TensorFlow (seconds),
# the grading process has a core to itself and prepares this many (measured: ~8 % less wall
# time on the 40-notebook benchmark than preparing only one per worker ahead).
PREPARED_AHEAD = 30
SOLUTION = "reference-solution"


class GradingError(AutograderError):
    """The batch cannot start (no such assignment in the gradebook, missing references)."""


class SubmissionsNotJudged(AutograderError):
    """The batch finished, but some submissions could not be judged or recorded (their
    records say why); those that could not start are graded by running the command again."""

    exit_status = ExitStatus.UNJUDGED


@dataclass
class Options:
    workers: int = os.cpu_count() or 1
    wall_timeout: float = 600.0
    cell_timeout: float | None = None  # default: nbgrader_config's Execute.timeout
    memory_mb: int = 4096
    output_limit: int = 2_000_000
    force: bool = False
    scheduler: str | None = None  # a Dask scheduler address: run the notebooks on its workers
    verify_timeout: float = 300.0  # the verifier that measures checks with measure=
    keep_results: Path | None = None  # keep each notebook's run (runner/replayed.py) in <this>/<assignment>/<student>/
    replay: Path | None = None  # run nothing: judge and record the runs an earlier batch kept (keep_results)


@dataclass
class Record:
    student: str
    status: str  # graded | rejected | skipped | not-run (could not start; graded by a rerun)
    score: float = 0.0
    max_score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    seconds: float = 0.0
    gradebook_seconds: float = 0.0  # nbgrader's autograde pipeline and gradebook write (serial)
    assignment: str = ""
    run_seconds: float = 0.0  # the notebooks' own run time in their children (and verifiers)
    unjudged: bool = False  # the grader could not run, judge or record this submission
    flags: list[str] = field(default_factory=list)  # lines flagged for review (tamper.py)


def child_seconds(event: Event) -> float:
    """What a notebook cost where it ran: its child, and the verifier that measured its checks."""
    return float(event.seconds or 0.0) + float((event.verify or {}).get("seconds") or 0.0)


def _fault(event: Event, options: Options) -> str | None:
    if event.status == "lost":
        return event.reason or "the notebook's worker was lost"
    if event.status == "timeout":
        return f"the submission ran longer than the {options.wall_timeout:g} s limit and was stopped"
    if event.status == "signaled":
        names = {9: "SIGKILL (memory or process limit)", 11: "SIGSEGV (segmentation fault)", 6: "SIGABRT"}
        return f"the Python process crashed with signal {event.signal} {names.get(event.signal, '')}".strip()
    if event.status == "exited" and event.code not in (0, None):
        return f"the Python process exited early (exit status {event.code})"
    return None


def copy_submission_files(source: Path, target: Path, skip: tuple[str, ...] = ()) -> None:
    """A submission's files besides its notebooks (and `skip`): regular files and folders only
    (a link or a FIFO a student submitted is neither followed nor opened)."""
    def ignore(folder, names):
        skipped = set()
        for name in names:
            mode = os.lstat(os.path.join(folder, name)).st_mode
            if name in skip or name.endswith(".ipynb") or not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                skipped.add(name)
        return skipped
    shutil.copytree(source, target, ignore=ignore, dirs_exist_ok=True)


class BatchGrader:
    """One assignment's part of a batch: what to run, how to judge it, the records."""

    def __init__(self, root: Path, assignment: str, options: Options,
                 progress: Callable[[Record], None], gradebook_lock: threading.Lock):
        # Absolute: the children run from another folder, and the course is hidden by its path.
        root = Path(root).resolve()
        self.root, self.assignment, self.options = root, assignment, options
        self.progress = progress  # called with each record as the submission is recorded
        self.gradebook_lock = gradebook_lock  # one user of the gradebook at a time, batch-wide
        self.records: list[Record] = []
        self.pending: dict[str, dict] = {}
        self.found: dict[str, Path] = {}
        self.total = 0
        self.refs: reference_file.References | None = None
        self.recorder: GradebookRecorder | None = None  # the batch's gradebook connection (grade_assignments)
        self.sanitize: Sanitizer | None = None  # the course's sanitising pipeline (load)
        self.cell_checks: dict[str, dict[str, list[str]]] = {}
        self.work_root: Path | None = None
        self.notebooks: list[str] = []
        self.ready: queue.Queue = queue.Queue()
        self.config = course.load_config(root)
        if not any(isinstance(step, type) and issubclass(step, OverwriteCells) for step in sanitizers(self.config)):
            raise GradingError("nbgrader_config.py's Autograde.sanitize_preprocessors has no OverwriteCells: "
                               "submissions would run with their test and locked cells as the student left them")
        self.db_url = course.gradebook_url(root, self.config)
        if options.cell_timeout is None:
            options.cell_timeout = float(self.config.Execute.get("timeout", 120) or 120)
        self.state = root / ".autograder" / assignment

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

    def load(self) -> None:
        """What judging needs, read before anything runs: the assignment's notebooks, its
        references, and {notebook: {grade_id: hidden checks}} (what each test cell must record)."""
        self.notebooks = self.expected_notebooks()
        self.refs = reference_file.read(self.root, self.assignment)
        self.cell_checks = {name: hidden_checks_by_cell(self.db_url, self.assignment, name) for name in self.notebooks}
        self.sanitize = Sanitizer(self.config, self.db_url)

    def submissions(self) -> dict[str, Path]:
        base = self.root / "submitted"
        if not base.is_dir():
            return {}
        return {p.parent.name: p for p in sorted(base.glob(f"*/{self.assignment}")) if p.is_dir()}

    # -- stage 1 ---------------------------------------------------------------------------
    def prepare(self, student: str, folder: Path, notebooks: list[str]):
        """Sanitised notebooks to run for one submission, and the notes/rejections about it."""
        found, notes, extras = course.submitted_notebooks(folder, notebooks)
        plan = []
        for name, path in found.items():
            problem = None
            if path is None:
                problem = f"{name}.ipynb was not submitted"
                nb = self.blank(name)
            else:
                try:
                    nb = read_submission(path)
                    before = _grade_ids(nb)
                    nb = self.sanitize(nb, self.assignment, name, student)
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
        return self.sanitize(nb, self.assignment, name, "blank")

    def solution_job(self) -> Job:
        """The reference solution as a student who wrote it submits it, run as one more job."""
        (source_nb,) = course.source_notebooks(self.root, self.assignment)
        release_nb = self.root / "release" / self.assignment / source_nb.name
        with self.gradebook_lock:
            nb = self.sanitize(filled_release(release_nb, source_nb), self.assignment, source_nb.stem, SOLUTION)
        job = self._job(SOLUTION, source_nb.stem, nb, release_nb.parent)
        job.extra = {"grader": self, "solution": True, "nb": nb, "notebook": source_nb.stem}
        return job

    def score(self, student: str) -> tuple[float, float]:
        return submission_score(self.db_url, self.assignment, student)

    # -- the batch -------------------------------------------------------------------------
    def select(self, students: list[str] | None) -> list[str]:
        """The submissions to grade now. Unknown students and submissions already graded get
        their records here; nothing is run yet."""
        self.load()
        self.found = found = self.submissions()
        wanted = students or sorted(found)
        for student in wanted:
            if student not in found:
                self.records.append(self._record(student, "rejected", reasons=[
                    f"no submission in submitted/{student}/{self.assignment}/"]))
        todo = [s for s in wanted if s in found and (self.options.force or not is_done(self.root, s, self.assignment))]
        for s in wanted:
            if s in found and s not in todo:
                self.records.append(self._record(s, "skipped", *self._safe_score(s),
                                                 reasons=["already graded (use --force to regrade)"]))
        self.total = len(todo)
        if todo:
            os.chmod(course.reference_path(self.root, self.assignment), 0o600)
            # Only root (or the grader) may enter it: other users of the machine (students on
            # a shared hub) cannot read the submissions being graded. A notebook's process
            # sees its own job folder only, mounted on its own (runner/isolation.py).
            self.work_root = workroot.make(self.assignment)
        return todo

    def jobs_for(self, student: str) -> list[Job]:
        """Sanitise one submission and return its notebooks to run. Runs in the batch's
        preparing thread, ahead of the workers; a submission left with nothing to run (every
        notebook missing or unreadable) waits in `self.ready` for the grading thread."""
        started = time.monotonic()
        with self.gradebook_lock:
            plan, notes = self.prepare(student, self.found[student], self.notebooks)
        info = {"left": 0, "notes": notes, "problems": [], "started": started, "run_seconds": 0.0,
                "unjudged": False, "not_run": [], "flags": {}, "judged": {}}
        jobs = []
        for name, nb, problem in plan:
            flags = find_tampering(student_cells(nb)) if not problem else []
            if flags:
                info["flags"][name] = flags
            if problem:
                info["problems"].append(problem)
                info["judged"][name] = self._rejected(nb, problem)
                continue
            job = self._job(student, name, nb, self.found[student])
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

    def judge(self, job: Job, event: Event):
        """(judged notebook, why it stopped early or None, why it could not start or None)."""
        results = ChildResults.read(job.request.job_dir)
        setup_error = results.records.setup_error
        if setup_error is None and not results.records.ready and event.status == "exited" and event.code == 70:
            setup_error = "the child ended before it was ready"
        if setup_error:
            return None, None, f"the grader could not run this notebook ({setup_error})"
        fault = _fault(event, self.options)
        judged, stopped = apply_results(job.extra["nb"], results, self.refs, self.assignment, fault,
                                        self.cell_checks[job.extra["notebook"]])
        return judged, stopped, None

    def solution_problems(self, job: Job, event: Event) -> list[str]:
        """Why the reference solution does not earn every automatic point (empty: it does)."""
        try:
            judged, _, setup_error = self.judge(job, event)
        except Exception as exc:  # noqa: BLE001 - said as the reason the batch stops
            return [f"the grader could not read the solution's results: {type(exc).__name__}: {str(exc)[:300]}"]
        return [setup_error] if setup_error else lost_points(judged)

    def job_done(self, job: Job, event: Event) -> str | None:
        """Judge one notebook's run; the submission is recorded once all its notebooks are in.
        Returns why the notebook could not start, if it could not (a grader-side reason)."""
        student, name = job.extra["student"], job.extra["notebook"]
        info = self.pending[student]
        info["run_seconds"] += child_seconds(event)
        setup_error = None
        try:  # one error boundary per notebook: whatever goes wrong, a record with the reason
            judged, stopped, setup_error = self.judge(job, event)
            if setup_error:
                info["not_run"].append(f"{name}.ipynb: {setup_error}")
            else:
                if stopped:
                    info["problems"].append(f"{name}.ipynb {stopped}")
                missing = missing_checks(judged, self.cell_checks[name])
                if missing:
                    kept = self._keep_defect(job, student, name)
                    info["problems"].append(f"{name}.ipynb: {MISSING_CHECK} ({'; '.join(missing)}; kept in {kept})")
                    info["unjudged"] = True
                info["problems"].extend(self._cell_notes(name, judged))
                info["judged"][name] = judged
        except Exception as exc:  # noqa: BLE001 - one unreadable result never stops the batch
            reason = f"the grader could not read this notebook's results: {type(exc).__name__}: {str(exc)[:300]}"
            info["problems"].append(f"{name}.ipynb: {reason}")
            info["unjudged"] = True
            info["judged"][name] = self._rejected(job.extra["nb"], reason)
        shutil.rmtree(job.request.job_dir, ignore_errors=True)
        info["left"] -= 1
        if info["left"] == 0:
            self._finish_student(student)
        return setup_error

    def _keep_defect(self, job: Job, student: str, name: str) -> Path:
        """What the grader ran and judged when it went wrong, for the report of the defect."""
        target = self.state / "defects" / f"{student}--{name}"
        target.mkdir(parents=True, exist_ok=True)
        nbformat.write(job.extra["nb"], target / f"{name}.ipynb")
        for part in ("cells.json", RECORDS, VERIFIED):
            source = Path(job.request.job_dir) / part
            if source.is_file() and not source.is_symlink():
                shutil.copyfile(source, target / part)
        return target

    def keep_results(self, job: Job, event: Event) -> None:
        """Keep a finished notebook's run where Options.keep_results says (replayable)."""
        if self.options.keep_results is not None:
            _, student, name = job.id.split("/")
            replayed.keep(Path(job.request.job_dir), event, Path(self.options.keep_results) / self.assignment / student / name)

    def _finish_student(self, student: str) -> None:
        record = self._complete(student, self.found[student], self.pending.pop(student))
        self.records.append(record)
        self.progress(record)

    def cleanup(self) -> None:
        if self.sanitize is not None:
            self.sanitize.close()
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

    def _job(self, student: str, name: str, nb, folder: Path) -> Job:
        job_dir = self.work_root / f"{student}--{name}"
        work = job_dir / "work"
        work.mkdir(parents=True)
        copy_submission_files(folder, work, skip=("timestamp.txt",))
        # The child sees a private course holding only this assignment's checks (probes),
        # never the references, the solutions or other students' work.
        private = job_dir / "course"
        shutil.copytree(course.grading_dir(self.root, self.assignment), course.grading_dir(private, self.assignment),
                        ignore=shutil.ignore_patterns("reference*.npz", "__pycache__"))
        cells_path = job_dir / "cells.json"
        by_cell = self.cell_checks[name]
        grade_ids = [grade_id(c) for c in nb.cells]
        cells_path.write_text(json.dumps([{"cell_type": c.cell_type, "source": c.source, "id": c.get("id"),
                                           "test": is_test_cell(c) or gid in by_cell}
                                          for c, gid in zip(nb.cells, grade_ids)]))
        measured = [[q, index] for index, gid in enumerate(grade_ids) for q in by_cell.get(gid, [])
                    if q.split(".", 1)[1] in self.refs.measured]
        request = Request(id=f"{self.assignment}/{student}/{name}", job_dir=str(job_dir), cells_path=str(cells_path),
                          work_dir=str(work), course_root=str(private), wall_timeout=self.options.wall_timeout,
                          cell_timeout=self.options.cell_timeout, memory_mb=self.options.memory_mb,
                          output_limit=self.options.output_limit, hide=str(self.root), measured=measured,
                          verify_timeout=self.options.verify_timeout)
        return Job(request)

    def _rejected(self, nb, problem: str):
        """The notebook with the reason on every code cell: each test cell scores 0."""
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [error_output("SubmissionRejected", problem)]
        return nb

    def _complete(self, student: str, folder: Path, info: dict) -> Record:
        now = time.monotonic()
        if info["not_run"]:  # nothing recorded: the next run grades it
            return Record(student, "not-run", 0.0, 0.0, info["not_run"] + ["not recorded: run the command again"],
                          round(now - info["started"], 2), 0.0, self.assignment, round(info["run_seconds"], 3), True)
        reasons = info["problems"] + info["notes"]
        recording = time.monotonic()
        unjudged = info["unjudged"]
        try:
            with self.gradebook_lock:
                recorded = self.recorder.record(self.assignment, student, folder, info["judged"], info["flags"])
            score, max_score, status = recorded.score, recorded.max_score, "graded"
        except Exception as exc:  # noqa: BLE001 - one broken submission never stops the batch
            score, max_score, status, unjudged = 0.0, 0.0, "rejected", True
            detail = str(exc) if isinstance(exc, RecordingFailed) else f"{type(exc).__name__}: {exc}"
            reasons.append(f"nbgrader could not record the grade: {detail}")
        flags = [f"{name}.ipynb {flag.describe()}" for name, found in info["flags"].items() for flag in found]
        if status == "graded":
            if info["flags"]:
                reasons.append(f"flagged for review: {len(flags)} line(s) reach into the grading machinery")
            write_marker(self.root, student, self.assignment, reasons=reasons, problems=info["problems"],
                         notes=info["notes"], score=score, flags=flags)
        now = time.monotonic()
        return Record(student, status, score, max_score, reasons, round(now - info["started"], 2),
                      round(now - recording, 3), self.assignment, round(info["run_seconds"], 3), unjudged, flags)


def _grade_ids(nb) -> set[str]:
    return {grade_id(c) for c in nb.cells} - {None}


def open_pool(root: Path, options: Options):
    """Where the notebooks run: the local zygote, or the workers of a Dask cluster."""
    if options.replay is not None:
        return replayed.ReplayedPool(options.replay)
    if options.scheduler:
        from .dask_pool import DaskPool
        return DaskPool(options.scheduler, env={"TF_CPP_MIN_LOG_LEVEL": "1"})
    return ZygotePool(options.workers, env=kernel_env(root))


class KeptPool:
    """A pool kept open across batches (the hub's grading service grades each submission as it
    arrives): one TensorFlow import for its life, and each assignment's reference solution
    gated once in it for as long as the assignment's references, probes and release stay the
    same (a gate per batch would cost each student the solution's run time again)."""

    def __init__(self, root: Path, options: Options | None = None):
        self.pool = open_pool(Path(root).resolve(), options or Options())
        self.verified: set[tuple[str, str]] = set()  # (assignment, what its solution was gated on)
        self.closed = False

    def batch_ended(self, exc_type, exc, traceback) -> bool:
        """A batch that stops on an exception may leave notebooks running in the pool, whose
        events must never reach the next batch (the same notebook graded again has the same
        id): the pool is ended with it. Open a new KeptPool."""
        if exc_type is not None and not self.closed:
            self.closed = True
            self.pool.__exit__(exc_type, exc, traceback)
        return False

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.pool.__exit__(None, None, None)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        self.batch_ended(exc_type, exc, traceback)
        self.close()


def solution_key(grader: BatchGrader) -> tuple[str, str]:
    """What a passed solution gate holds for: the assignment's references, probes and release."""
    digest = hashlib.sha256()
    for path in (course.reference_path(grader.root, grader.assignment), course.checks_path(grader.root, grader.assignment),
                 *sorted((grader.root / "release" / grader.assignment).glob("*.ipynb"))):
        digest.update(path.read_bytes())
    return grader.assignment, digest.hexdigest()


def grade_assignments(root: Path, assignments: list[str], students: list[str] | None = None,
                      options: Options | None = None,
                      progress: Callable[[Record, int, int], None] | None = None,
                      kept: KeptPool | None = None) -> list[Record]:
    """Grade several assignments in one batch: one pool (one TensorFlow import) runs the
    notebooks of all of them, so a worker freed by one assignment goes on with the next.
    A preparing thread sanitises submissions ahead of the workers (PREPARED_AHEAD) while
    this thread judges and records the finished ones (one gradebook user at a time); each
    assignment's reference solution runs first and gates its submissions (gate.py).
    `progress(record, done, total)` is called as each submission is recorded. With `kept` the
    notebooks run in that pool, left open, and solutions it already gated are not run again."""
    options = options or Options()
    root = Path(root).resolve()
    done = 0

    def counted(record: Record) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(record, done, sum(g.total for g in graders))

    lock = threading.Lock()
    graders = [BatchGrader(root, a, options, counted, lock) for a in assignments]
    workroot.sweep()  # what graders killed on this machine left behind

    def record_ready() -> None:
        for grader in graders:
            grader.record_ready()

    with contextlib.ExitStack() as stack:
        todo = []
        for grader in graders:
            stack.callback(grader.cleanup)  # job folders go after the pool has stopped (exit order)
            todo += [(grader, student) for student in grader.select(students)]
        gated = {g.assignment: solution_key(g) for g in graders if g.total} if kept is not None else {}
        gate = SolutionGate(graders, already=[a for a, key in gated.items() if key in kept.verified])
        if todo:
            recorder = stack.enter_context(GradebookRecorder(root, graders[0].config, graders[0].db_url))
            for grader in graders:
                grader.recorder = recorder

        def on_done(job: Job, event: Event) -> None:
            record_ready()
            grader = job.extra["grader"]
            grader.keep_results(job, event)
            if job.extra.get("solution"):
                for held_job, held_event in gate.solution_done(grader, job, event):
                    gate.count(grader.job_done(held_job, held_event))
                if kept is not None and grader.assignment not in gate.waiting:
                    kept.verified.add(gated[grader.assignment])
            elif grader.assignment in gate.waiting:
                gate.held[grader.assignment].append((job, event))
            else:
                gate.count(grader.job_done(job, event))

        # The costliest assignments first: the batch then ends on short notebooks, not with one
        # worker busy on a long one while the others idle.
        cost = {g.assignment: g.refs.solution_seconds or 0.0 for g in graders if g.total}
        todo.sort(key=lambda item: -cost[item[0].assignment])
        if todo:
            if kept is not None:
                if kept.closed:
                    raise ValueError("this KeptPool was ended by an earlier batch's failure: open a new one")
                pool = kept.pool
                stack.push(kept.batch_ended)
            else:
                pool = stack.enter_context(open_pool(root, options))  # imports TensorFlow meanwhile
            solutions = [g.solution_job() for g in sorted((g for g in graders if g.assignment in gate.waiting),
                                                            key=lambda g: -cost[g.assignment])]
            jobs = stack.enter_context(prefetched(
                (job for grader, student in todo for job in grader.jobs_for(student)),
                ahead=options.workers + PREPARED_AHEAD))
            pool.run(_chain(solutions, jobs), on_done)
            gate.retry(pool, on_done)
            record_ready()
    return [record for grader in graders for record in grader.records]


def _chain(first: list, rest):
    yield from first
    yield from rest


def grade(root: Path, assignment: str, students: list[str] | None = None, options: Options | None = None,
          progress=None) -> list[Record]:
    """Grade every submission of one assignment (see grade_assignments)."""
    return grade_assignments(root, [assignment], students, options, progress)


@dataclass
class SolutionRun:
    """The reference solution through the batch grader alone."""

    problems: list[str]  # why it does not earn every automatic point (empty: it does)
    seconds: float = 0.0  # the notebook's own run time in its child, and its verifier's


def check_solution(root: Path, assignment: str, options: Options | None = None, pool=None) -> SolutionRun:
    """Run the reference solution through the batch grader alone. `generate` calls it, in one
    `pool` (open_pool, left open) for all the assignments it regenerates: a pool of its own
    for each would import TensorFlow again each time (about 6 s of a check that can run 0.2 s)."""
    options = options or Options(workers=1)
    root = Path(root).resolve()
    grader = BatchGrader(root, assignment, options, lambda record: None, threading.Lock())
    grader.load()
    grader.work_root = workroot.make(f"{assignment}-solution")
    run = SolutionRun([])

    def done(job: Job, event: Event) -> None:
        run.problems.extend(grader.solution_problems(job, event))
        run.seconds = child_seconds(event)
    try:
        with contextlib.ExitStack() as stack:
            if pool is None:
                pool = stack.enter_context(open_pool(root, options))
            pool.run([grader.solution_job()], done)
    finally:
        grader.cleanup()
    return run
