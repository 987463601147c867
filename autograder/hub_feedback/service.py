"""The course hub's grading service: each new submission graded as it arrives.

One scan (`FeedbackService.step`, every second when run as a service):
  1. list the exchange's inbound folder; attempts the ledger has not settled are the work
     (on start this includes whatever arrived while the service was down);
  2. per student with such an attempt: collect with the hub's configured collect (the owner
     check of nbgrader #1097, `--update`), so submitted/ holds the student's newest genuine
     attempt; earlier open attempts are `superseded`, ones newer than it `refused` (forged);
  3. the newest attempt: already in the gradebook (a grade interrupted after its gradebook
     write)? finish it. Over the attempt limit? keep it, release a page saying so, grade it
     when the window allows. Otherwise grade it: every such student of an assignment in one
     call of the batch grader (one pre-warmed interpreter per call), then generate and
     release each one's feedback, filtered by the policy, and settle it in the ledger.
A kill anywhere leaves an attempt unsettled or settled, never settled twice: the next scan
finishes what was recorded and grades what was not.
"""
from __future__ import annotations

import copy
import datetime as dt
import logging
import signal
import threading
import time
import warnings
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.apps.api import NbGraderAPI, capture_log
from nbgrader.coursedir import CourseDirectory
from nbgrader.utils import parse_utc, temp_attrs
from traitlets.config import Config
from traitlets.config.loader import JSONFileConfigLoader, PyFileConfigLoader

from .. import course
from ..batch.grade import KeptPool, Options, Record, grade_assignments
from ..batch.marker import marker_path
from .ledger import Ledger
from .pages import FeedbackVisibility, attempt_page, release_page
from .policy import AssignmentPolicy, FeedbackPolicy

log = logging.getLogger("hub_feedback")
RETRY_SECONDS = 30.0  # a submission the grader could not run is tried again after this


def load_service_config(course_root: Path) -> Config:
    """nbgrader's configuration as its apps see it when run in the course directory: every
    nbgrader_config file on the Jupyter config path (the hub's grader settings: exchange,
    owner-checked collect), then the course's own nbgrader_config.py (and its FeedbackPolicy)."""
    from jupyter_core.paths import jupyter_config_path
    config = Config()
    for folder in reversed(jupyter_config_path()):
        for loader in (JSONFileConfigLoader("nbgrader_config.json", path=folder),
                       PyFileConfigLoader("nbgrader_config.py", path=folder)):
            try:
                config.merge(loader.load_config())
            except Exception as exc:  # noqa: BLE001 - a missing file is the usual case
                if Path(folder, loader.filename).is_file():
                    raise RuntimeError(f"cannot load {Path(folder, loader.filename)}: {exc}") from exc
    config.merge(course.load_config(Path(course_root)))
    return config


def attempt_time(name: str) -> dt.datetime:
    """The submission time in an inbound folder's name (`student+assignment+timestamp+random`)."""
    return parse_utc(name.split("+")[2])


def _naive_utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(dt.timezone.utc).replace(tzinfo=None)


class FeedbackService:
    def __init__(self, course_root: Path, config: Config | None = None, workers: int = 1,
                 now=time.time):
        self.root = Path(course_root).resolve()
        self.config = config if config is not None else load_service_config(self.root)
        self.policy = FeedbackPolicy(config=self.config)
        self.workers = workers
        self.now = now
        self.coursedir = CourseDirectory(config=self.config, root=str(self.root))
        self.db_url = self.coursedir.db_url
        self.api = NbGraderAPI(coursedir=self.coursedir, config=self.config)
        exchange_root = self.config.Exchange.get("root")
        if not exchange_root:
            raise RuntimeError("no Exchange.root in the nbgrader configuration: the service needs the "
                               "exchange of the course (hub/jupyter/grader/nbgrader_config.py sets it)")
        self.course_id = self.coursedir.course_id
        self.inbound = Path(exchange_root) / self.course_id / "inbound"
        self.feedback_dir = Path(exchange_root) / self.course_id / "feedback"
        for assignment in self.assignments():  # a misspelt policy stops the service here, named
            self.policy.for_assignment(assignment)
        self.retry_at: dict[tuple[str, str], float] = {}
        self.grade_calls: list[dict] = []  # what each call of the batch grader cost (logged too)
        # One pre-warmed interpreter for the service's life (opened at the first grade): each
        # call then costs its notebooks, not a TensorFlow import and a solution run.
        self.kept: KeptPool | None = None

    def close(self) -> None:
        """End the kept pool (its zygote and children); the next grade would start a new one."""
        if self.kept is not None:
            self.kept.close()
            self.kept = None

    def __enter__(self) -> "FeedbackService":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the loop ----------------------------------------------------------------------------
    def run(self, poll: float = 1.0, stop: threading.Event | None = None) -> None:
        stop = stop or threading.Event()
        log.info("watching %s every %g s (course %s)", self.inbound, poll, self.root)
        while not stop.is_set():
            try:
                self.step()
            except Exception:  # noqa: BLE001 - the service outlives one bad scan; it is logged
                log.exception("scan failed; trying again")
                stop.wait(max(poll, 5.0))
            stop.wait(poll)

    def step(self) -> None:
        """One scan of the inbound folder (see the module's docstring)."""
        for assignment, attempts in sorted(self.open_attempts().items()):
            policy = self.policy.for_assignment(assignment)
            if not policy.enabled:
                continue
            due = self.duedate(assignment)
            if due is not None and dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) > due:
                continue  # after the deadline: the instructor's collect and batch grading, as before
            self.handle(assignment, attempts, policy)

    def open_attempts(self) -> dict[str, dict[str, list[str]]]:
        """{assignment: {student: inbound folder names the ledger has not settled}}."""
        if not self.inbound.is_dir():
            return {}
        found: dict[str, dict[str, list[str]]] = {}
        for entry in self.inbound.iterdir():
            parts = entry.name.split("+")
            if len(parts) < 3 or not entry.is_dir():
                continue
            found.setdefault(parts[1], {}).setdefault(parts[0], []).append(entry.name)
        known = set(self.assignments())
        result = {}
        for assignment, by_student in found.items():
            if assignment not in known:
                continue
            ledger = Ledger(self.root, assignment)
            open_ = {s: sorted(n for n in names if not ledger.is_final(s, n)) for s, names in by_student.items()}
            open_ = {s: names for s, names in open_.items() if names}
            if open_:
                result[assignment] = open_
        return result

    def assignments(self) -> list[str]:
        with Gradebook(self.db_url) as gb:
            return [a.name for a in gb.assignments]

    def duedate(self, assignment: str) -> dt.datetime | None:
        with Gradebook(self.db_url) as gb:
            return _naive_utc(gb.find_assignment(assignment).duedate)

    # -- one assignment ----------------------------------------------------------------------
    def handle(self, assignment: str, attempts: dict[str, list[str]], policy: AssignmentPolicy) -> None:
        ledger = Ledger(self.root, assignment)
        to_grade: dict[str, str] = {}
        for student, names in sorted(attempts.items()):
            if self.retry_at.get((assignment, student), 0.0) > time.monotonic():
                continue
            waiting = all(getattr(ledger.last(student, n), "outcome", None) == "deferred" for n in names)
            if waiting and self.limit_reached(student, policy, ledger):
                continue  # kept and announced already; nothing new from this student
            latest = self.collect(assignment, student, names, ledger)
            if latest is None:
                continue
            if self.recorded(assignment, student, latest, ledger):
                log.info("%s/%s: %s was recorded before an interruption; releasing its feedback",
                         assignment, student, latest)
                self.finish(assignment, student, latest, policy, ledger, None)
                continue
            if self.over_limit(student, latest, policy, ledger):
                continue
            to_grade[student] = latest
        if to_grade:
            self.grade(assignment, to_grade, policy, ledger)

    def collect(self, assignment: str, student: str, names: list[str], ledger: Ledger) -> str | None:
        """Collect the student's newest genuine attempt into submitted/ and settle the open
        attempts it makes moot. Returns the attempt to act on (None: nothing to do)."""
        with temp_attrs(self.coursedir, assignment_id=assignment, student_id=student):
            app = self.api.exchange.Collect(coursedir=self.coursedir, authenticator=self.api.authenticator,
                                            parent=self.api)
            app.update = True
            result = capture_log(app)
        if not result["success"]:
            log.error("%s/%s: collect failed: %s", assignment, student, result.get("error") or result.get("log"))
            self.retry_at[(assignment, student)] = time.monotonic() + RETRY_SECONDS
            return None
        collected = self.root / "submitted" / student / assignment / "timestamp.txt"
        current = parse_utc(collected.read_text().strip()) if collected.is_file() else None
        latest = None
        for name in names:
            when = attempt_time(name)
            if current is None or when > current:
                ledger.add(student, name, "refused",
                           reason="not collected: its folder is not owned by the student it names (nbgrader #1097)")
                log.warning("%s/%s: %s refused at collect", assignment, student, name)
            elif when < current:
                ledger.add(student, name, "superseded")
                self.page(name, "Not graded: a later submission was graded instead", [
                    f"You submitted {assignment} again before this submission was graded; "
                    "your latest submission is the one graded (see its feedback)."])
            else:
                latest = name
        return latest

    def recorded(self, assignment: str, student: str, attempt: str, ledger: Ledger) -> bool:
        """Did a grade of this very attempt reach the gradebook before the service was stopped?
        The batch grader writes its marker after the gradebook; the gradebook's timestamp says
        which attempt it holds."""
        started = ledger.last(student, attempt)
        if started is None or started.outcome != "grading":
            return False
        marker = marker_path(self.root, student, assignment)
        if not marker.is_file() or marker.stat().st_mtime < started.at:
            return False
        try:
            with Gradebook(self.db_url) as gb:
                stamp = _naive_utc(gb.find_submission(assignment, student).timestamp)
        except MissingEntry:
            return False
        return stamp == attempt_time(attempt)

    def limit_reached(self, student: str, policy: AssignmentPolicy, ledger: Ledger) -> bool:
        graded = ledger.graded_since(student, self.now() - policy.window_seconds)
        return bool(policy.max_attempts_per_hour) and len(graded) >= policy.max_attempts_per_hour

    def over_limit(self, student: str, attempt: str, policy: AssignmentPolicy, ledger: Ledger) -> bool:
        """Is this attempt over the limit? Then it stays collected (kept), a page tells the
        student so, and it waits for the window (announced once)."""
        if not self.limit_reached(student, policy, ledger):
            return False
        graded = ledger.graded_since(student, self.now() - policy.window_seconds)
        last = ledger.last(student, attempt)
        if last is None or last.outcome != "deferred":
            free_at = min(e.at for e in graded) + policy.window_seconds
            when = dt.datetime.fromtimestamp(free_at, dt.timezone.utc).strftime("%H:%M UTC")
            ledger.add(student, attempt, "deferred", free_at=free_at)
            # submitted/ now holds this ungraded attempt: without the batch grader's marker of
            # the earlier one, staff's `python -m autograder grade` (no --force) grades it
            marker_path(self.root, student, policy.assignment).unlink(missing_ok=True)
            log.info("%s/%s: %s over the limit (%d per %g s); kept, graded from %s on", policy.assignment,
                     student, attempt, policy.max_attempts_per_hour, policy.window_seconds, when)
            self.page(attempt, "Attempt limit reached: this submission is kept, not graded yet", [
                f"You have had {len(graded)} graded attempts at {policy.assignment} in the last "
                f"{policy.window_seconds / 60:g} minutes, the limit of this course.",
                "This submission is kept: the instructor grades your latest submission after the deadline.",
                f"If it is still your latest submission at {when}, it is graded then and its feedback "
                "replaces this page (Fetch Feedback again).",
            ])
        return True

    def grade(self, assignment: str, to_grade: dict[str, str], policy: AssignmentPolicy, ledger: Ledger) -> None:
        for student, attempt in to_grade.items():
            ledger.add(student, attempt, "grading")
        started = time.monotonic()
        options = Options(force=True, workers=self.workers)
        try:
            if self.kept is None or self.kept.closed:
                self.kept = KeptPool(self.root, options)
            records = grade_assignments(self.root, [assignment], students=sorted(to_grade), options=options,
                                        kept=self.kept)
        except Exception as exc:  # noqa: BLE001 - e.g. the solution gate: nothing was recorded
            self.close()  # the next call starts a fresh pool (this one may have died)
            log.error("%s: the batch grader stopped: %s; trying again in %g s", assignment, exc, RETRY_SECONDS)
            for student in to_grade:
                self.retry_at[(assignment, student)] = time.monotonic() + RETRY_SECONDS
            return
        seconds = time.monotonic() - started
        run = sum(r.run_seconds for r in records)
        self.grade_calls.append({"assignment": assignment, "students": len(to_grade), "seconds": round(seconds, 2),
                                 "notebooks_run_seconds": round(run, 2)})
        log.info("%s: graded %d submission(s) in %.1f s (their notebooks ran %.1f s; the rest is the "
                 "pool's start and the solution gate on the first call, and the gradebook)", assignment,
                 len(to_grade), seconds, run)
        for record in records:
            attempt = to_grade.get(record.student)
            if attempt is None:
                continue
            if record.status != "graded":
                # not-run (the grader could not run it) or rejected (nbgrader could not record
                # it, e.g. the gradebook busy): not the student's doing, so not settled and not
                # shown to them; the attempt stays open and is graded again
                log.error("%s/%s: %s (%s); trying again in %g s", assignment, record.student, record.status,
                          "; ".join(record.reasons), RETRY_SECONDS)
                self.retry_at[(assignment, record.student)] = time.monotonic() + RETRY_SECONDS
                continue
            self.finish(assignment, record.student, attempt, policy, ledger, record)

    # -- feedback ----------------------------------------------------------------------------
    def finish(self, assignment: str, student: str, attempt: str, policy: AssignmentPolicy, ledger: Ledger,
               record: Record | None) -> None:
        """Generate and release this student's feedback, then settle the attempt."""
        used = len(ledger.graded_since(student, self.now() - policy.window_seconds)) + 1
        limit = policy.max_attempts_per_hour
        note = (f"**Graded on submission** ({attempt_time(attempt):%Y-%m-%d %H:%M:%S} UTC). "
                f"Before the deadline this feedback shows {policy.describe_visibility()}. "
                + (f"Graded attempts in the last {policy.window_seconds / 60:g} minutes: {used} of {limit}."
                   if limit else ""))
        # A deep copy: Config(self.config) shares its sections, and merging into it would add
        # FeedbackVisibility to the service's own GenerateFeedback pipeline once more per feedback.
        config = copy.deepcopy(self.config)
        config.merge(Config({
            "GenerateFeedback": {"preprocessors": list(self.config.GenerateFeedback.get("preprocessors", []))
                                 + [FeedbackVisibility]},
            "FeedbackVisibility": {"visibility": policy.before_deadline, "note": note},
        }))
        api = NbGraderAPI(coursedir=self.coursedir, config=config)
        generated = api.generate_feedback(assignment, student, force=True)
        released = self.release_feedback(api, assignment, student) if generated["success"] else generated
        if not released["success"]:
            reasons = record.reasons if record is not None else []
            log.error("%s/%s: feedback not generated: %s", assignment, student,
                      (released.get("error") or released.get("log") or "")[-2000:])
            self.page(attempt, "Graded: no detailed feedback", [
                f"Your submission was graded: {record.score:g} of {record.max_score:g} points." if record else
                "Your submission was graded.", *reasons])
        score, max_score = (record.score, record.max_score) if record is not None else self.score(assignment, student)
        ledger.add(student, attempt, "graded", score=score, max_score=max_score,
                   reasons=record.reasons if record is not None else [], recovered=record is None)
        log.info("%s/%s: %s graded %g/%g, feedback released", assignment, student, attempt, score, max_score)

    @staticmethod
    def release_feedback(api: NbGraderAPI, assignment: str, student: str) -> dict:
        # NbGraderAPI.release_feedback would do this but passes its authenticator misspelt
        # (`authentictor=`, nbgrader 0.9), a traitlets deprecation warning
        # (and it leaves a file open, a ResourceWarning, silenced here)
        with temp_attrs(api.coursedir, assignment_id=assignment, student_id=student), warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            app = api.exchange.ReleaseFeedback(coursedir=api.coursedir, authenticator=api.authenticator, parent=api)
            return capture_log(app)

    def score(self, assignment: str, student: str) -> tuple[float, float]:
        with Gradebook(self.db_url) as gb:
            sub = gb.find_submission(assignment, student)
            return float(sub.score), float(sub.max_score)

    def page(self, attempt: str, title: str, paragraphs: list[str]) -> None:
        try:
            release_page(self.feedback_dir, self.inbound / attempt, attempt_page(title, paragraphs))
        except OSError as exc:
            log.error("could not release the page for %s: %s", attempt, exc)


def serve(course_root: Path, poll: float = 1.0, workers: int = 1) -> None:
    """Run until SIGTERM/SIGINT (JupyterHub stops its managed services with SIGTERM)."""
    stop = threading.Event()

    def stopping(signum, frame):
        log.info("signal %d: stopping after this scan", signum)
        stop.set()
        raise KeyboardInterrupt  # leave a grade in progress through its context managers

    signal.signal(signal.SIGTERM, stopping)
    service = FeedbackService(course_root, workers=workers)
    try:
        service.run(poll, stop)
    except KeyboardInterrupt:
        pass
    finally:
        service.close()
