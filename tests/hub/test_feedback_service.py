"""The hub's grading service (autograder.hub_feedback) on a real course directory and a real
nbgrader exchange, without the hub: students submit with `nbgrader submit`, the service grades
with the batch grader and releases feedback that `nbgrader fetch_feedback` finds. The browser
story on the real hub is test_feedback_e2e.py."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder import course
from autograder.hub_feedback import FeedbackPolicy, FeedbackService
from autograder.batch.marker import marker_path
from autograder.hub_feedback.ledger import Ledger
from autograder.hub_feedback.pages import FeedbackVisibility
from autograder.nbgrader_run import nbgrader
from autograder.kernels import kernel_env
from conftest import copy_course

pytestmark = [pytest.mark.xdist_group("hub-feedback"), pytest.mark.timeout(600)]

COURSE_ID = "tf-deep-learning"
RIGHT = "def double(x):\n    return np.asarray(x) * 2.0"
WRONG = "def double(x):\n    return np.asarray(x) + 2.0"  # passes the visible test, not the hidden one


@pytest.fixture
def hub_course(generated_mini, tmp_path):
    """The generated mini course with an exchange, the assignment released, a limit of 2."""
    root = copy_course(generated_mini, tmp_path / "course")
    return released_with_exchange(root, tmp_path / "exchange", "c.FeedbackPolicy.max_attempts_per_hour = 2")


def released_with_exchange(root: Path, exchange: Path, config: str = "") -> Path:
    """The course with an nbgrader exchange at `exchange` and the mini assignment released."""
    exchange.mkdir()
    with (root / "nbgrader_config.py").open("a") as f:
        f.write(f"\nc.Exchange.root = {str(exchange)!r}\n{config}\n")
    nbgrader(root, "release_assignment", "mini")
    return root


def submit(root: Path, student: str, answer: str) -> str:
    """`nbgrader submit` from the student's own folder; returns the inbound folder's name."""
    home = root.parent / "home" / student
    work = home / "mini"
    if not work.is_dir():
        work.mkdir(parents=True)
    nb = nbformat.read(root / "release" / "mini" / "mini.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "double_answer":
            cell.source = answer
    nbformat.write(nb, work / "mini.ipynb")
    exchange = course.load_config(root).Exchange.root
    inbound = Path(exchange) / COURSE_ID / "inbound"
    before = set(os.listdir(inbound)) if inbound.is_dir() else set()
    env = dict(kernel_env(root), HOME=str(home), JUPYTER_DATA_DIR=str(home / ".data"), JUPYTER_CONFIG_DIR=str(home / ".cfg"))
    proc = subprocess.run([sys.executable, "-m", "nbgrader", "submit", "mini", f"--student={student}",
                           f"--Exchange.root={exchange}", f"--CourseDirectory.course_id={COURSE_ID}"],
                          cwd=home, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (new,) = set(os.listdir(inbound)) - before
    time.sleep(0.01)  # two submissions never share a timestamp
    return new


def fetch_feedback(root: Path, student: str) -> dict[str, str]:
    """What the student's `nbgrader fetch_feedback` brings home: {submission timestamp: page}."""
    home = root.parent / "home" / student
    env = dict(kernel_env(root), HOME=str(home), JUPYTER_DATA_DIR=str(home / ".data"), JUPYTER_CONFIG_DIR=str(home / ".cfg"))
    exchange = course.load_config(root).Exchange.root
    proc = subprocess.run([sys.executable, "-m", "nbgrader", "fetch_feedback", "mini", f"--student={student}",
                           f"--Exchange.root={exchange}", f"--CourseDirectory.course_id={COURSE_ID}"],
                          cwd=home, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return {p.parent.name: text_of(p.read_text()) for p in (home / "mini" / "feedback").glob("*/mini.html")}


def text_of(page: str) -> str:
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(page, "html.parser")
    for tag in soup(["style", "script"]):
        tag.decompose()
    return " ".join(soup.get_text(" ").split())


@pytest.fixture
def service():
    """Makes services on a course; each is closed at the end of the test (its pool is a
    pre-warmed interpreter that would otherwise live as long as the pytest worker)."""
    made = []

    def make(root: Path) -> FeedbackService:
        made.append(FeedbackService(root, config=course.load_config(root)))
        return made[-1]

    yield make
    for svc in made:
        svc.close()


def outcomes(root: Path, student: str) -> list[tuple[str, str]]:
    return [(e.attempt, e.outcome) for e in Ledger(root, "mini").entries if e.student == student]


def cell_score(root: Path, student: str, cell: str = "double_values") -> float:
    with Gradebook(course.gradebook_url(root)) as gb:
        return gb.find_grade(cell, "mini", "mini", student).score


def test_wrong_fixed_then_over_the_limit(hub_course, service):
    root = hub_course
    svc = service(root)
    first = submit(root, "ada", WRONG)
    svc.step()
    assert outcomes(root, "ada") == [(first, "grading"), (first, "graded")]
    assert cell_score(root, "ada") == 0.0
    (page,) = fetch_feedback(root, "ada").values()
    assert "CheckFailed: double_values: output 'y': 12 of 12 values out of tolerance" in page, page  # the judge's message
    assert "Graded attempts in the last 60 minutes: 1 of 2" in page

    second = submit(root, "ada", RIGHT)
    svc.step()
    assert outcomes(root, "ada")[-1] == (second, "graded")
    assert cell_score(root, "ada") == 2.0
    # one note on each page: a feedback generated leaves the service's configuration as it was
    assert [page.count("Graded on submission") for page in fetch_feedback(root, "ada").values()] == [1, 1]

    third = submit(root, "ada", WRONG)
    svc.step()
    assert outcomes(root, "ada")[-1] == (third, "deferred")
    assert cell_score(root, "ada") == 2.0  # not graded now
    kept = (root / "submitted" / "ada" / "mini" / "mini.ipynb").read_text()
    assert "+ 2.0" in kept  # kept: the over-limit attempt is the collected one
    # and staff's batch grader (no --force) will grade it: the earlier attempt's marker is gone
    assert not marker_path(root, "ada", "mini").exists()
    pages = fetch_feedback(root, "ada")
    assert len(pages) == 3
    assert sum("Attempt limit reached" in p for p in pages.values()) == 1
    svc.step()  # nothing new: the deferred attempt waits, no second page, no grade
    assert outcomes(root, "ada")[-1] == (third, "deferred") and len(outcomes(root, "ada")) == 5


def test_the_limit_frees_up_and_a_deferred_attempt_is_graded(hub_course, service):
    root = hub_course
    clock = [time.time()]
    svc = service(root)
    svc.now = lambda: clock[0]
    for answer in (WRONG, WRONG):
        submit(root, "ben", answer)
        svc.step()
    last = submit(root, "ben", RIGHT)
    svc.step()
    assert outcomes(root, "ben")[-1] == (last, "deferred")
    clock[0] = time.time() + 3601  # an hour after the last graded attempt
    svc.step()
    assert outcomes(root, "ben")[-2:] == [(last, "grading"), (last, "graded")]
    assert cell_score(root, "ben") == 2.0
    assert len(svc.grade_calls) == 3


def test_two_quick_submissions_grade_the_latest_once(hub_course, service):
    root = hub_course
    svc = service(root)
    first = submit(root, "ada", WRONG)
    second = submit(root, "ada", RIGHT)
    third = submit(root, "ben", WRONG)
    svc.step()
    assert outcomes(root, "ada") == [(first, "superseded"), (second, "grading"), (second, "graded")]
    assert outcomes(root, "ben") == [(third, "grading"), (third, "graded")]
    assert len(svc.grade_calls) == 1 and svc.grade_calls[0]["students"] == 2  # one batch for both
    assert cell_score(root, "ada") == 2.0
    pages = fetch_feedback(root, "ada")
    assert any("a later submission was graded" in p for p in pages.values())


def test_killed_mid_grade_and_restarted_grades_each_attempt_once(hub_course):
    """The service process is killed (SIGKILL) while its batch grader runs, started again,
    and every attempt ends graded exactly once; so does one submitted while it was down."""
    root = hub_course
    first = submit(root, "ada", WRONG)
    cmd = [sys.executable, "-m", "autograder.hub_feedback", "--course", str(root), "--poll", "0.5"]
    log = (root.parent / "service.log").open("w")
    proc = subprocess.Popen(cmd, cwd=root, env=kernel_env(root), stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while outcomes(root, "ada") != [(first, "grading")]:
            assert time.monotonic() < deadline and proc.poll() is None, outcomes(root, "ada")
            time.sleep(0.05)
        time.sleep(1.0)  # inside the batch grader (its pool is importing TensorFlow)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        assert outcomes(root, "ada") == [(first, "grading")]  # killed before it was settled
        second = submit(root, "ben", RIGHT)  # arrives while the service is down
        proc = subprocess.Popen(cmd, cwd=root, env=kernel_env(root), stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        deadline = time.monotonic() + 180
        while not (outcomes(root, "ada")[-1:] == [(first, "graded")] and outcomes(root, "ben")[-1:] == [(second, "graded")]):
            assert time.monotonic() < deadline and proc.poll() is None, (outcomes(root, "ada"), outcomes(root, "ben"))
            time.sleep(0.2)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
    graded = [e for e in Ledger(root, "mini").entries if e.outcome == "graded"]
    assert sorted(e.attempt for e in graded) == sorted([first, second])  # each exactly once
    assert (cell_score(root, "ada"), cell_score(root, "ben")) == (0.0, 2.0)


def test_recorded_before_a_kill_is_not_graded_again(hub_course, service):
    """Killed after the batch grader wrote the gradebook but before the ledger said `graded`
    (the ledger's last line cut off): the next scan releases the feedback, grades nothing."""
    root = hub_course
    first = submit(root, "ada", RIGHT)
    service(root).step()
    ledger = Ledger(root, "mini").path
    lines = ledger.read_text().splitlines()
    assert [json.loads(line)["outcome"] for line in lines] == ["grading", "graded"]
    ledger.write_text(lines[0] + "\n" + lines[1][:20])  # torn mid-write
    again = service(root)
    again.step()
    assert again.grade_calls == []
    (entry,) = [e for e in Ledger(root, "mini").entries if e.outcome == "graded"]
    assert entry.attempt == first and entry.data["recovered"] and entry.data["score"] == 2.0
    # and one whose gradebook holds an older attempt is graded again, not taken as recorded
    second = submit(root, "ada", WRONG)
    later = service(root)
    Ledger(root, "mini").add("ada", second, "grading")
    later.step()
    assert len(later.grade_calls) == 1 and cell_score(root, "ada") == 0.0


def test_policy_and_deadline_in_effect(hub_course, service):
    """Off: nothing happens. On with a due date past: nothing (staff's cycle). Due date ahead
    and 'points': graded, and the student's page has the cell's points without its message."""
    import datetime as dt
    root = hub_course
    with (root / "nbgrader_config.py").open("a") as f:
        f.write('\nc.FeedbackPolicy.assignments = {"mini": {"enabled": False, "before_deadline": "points"}}\n')
    submit(root, "ada", WRONG)
    service(root).step()
    assert outcomes(root, "ada") == [] and not (root / "submitted").exists()

    with (root / "nbgrader_config.py").open("a") as f:
        f.write('\nc.FeedbackPolicy.assignments = {"mini": {"before_deadline": "points"}}\n')
    db = course.gradebook_url(root)
    for due, graded in ((dt.timedelta(hours=-1), False), (dt.timedelta(hours=1), True)):
        with Gradebook(db) as gb:
            gb.update_or_create_assignment("mini", duedate=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) + due)
        service(root).step()
        assert bool(outcomes(root, "ada")) == graded
    (page,) = fetch_feedback(root, "ada").values()
    assert "Grade cell: double_values Score: 0.0 / 2.0" in page and "CheckFailed" not in page, page
    assert "the points of each test cell (not the checks' messages)" in page


def test_a_busy_gradebook_is_retried_not_shown(hub_course, service):
    """The gradebook locked by another writer while the service grades: the attempt is not
    settled and the student gets no page about it; once the lock is gone it is graded."""
    import sqlite3
    root = hub_course
    attempt = submit(root, "ada", RIGHT)
    svc = service(root)
    lock = sqlite3.connect(root / "gradebook.db", timeout=1)
    lock.execute("BEGIN IMMEDIATE")  # others may read, nobody else may write
    try:
        svc.step()
    finally:
        lock.rollback()
        lock.close()
    assert outcomes(root, "ada") == [(attempt, "grading")]
    released = Path(course.load_config(root).Exchange.root) / COURSE_ID / "feedback"
    assert not released.exists() or not any(released.iterdir())  # no page for the student
    svc.retry_at.clear()  # instead of waiting RETRY_SECONDS
    svc.step()
    assert outcomes(root, "ada")[-1] == (attempt, "graded") and cell_score(root, "ada") == 2.0
    (page,) = fetch_feedback(root, "ada").values()
    assert "locked" not in page


def test_a_notebook_that_kills_its_process_is_a_graded_attempt_with_its_reason(hub_course, service):
    root = hub_course
    attempt = submit(root, "ben", "import os\nos._exit(3)")
    svc = service(root)
    svc.step()
    assert outcomes(root, "ben")[-1] == (attempt, "graded") and cell_score(root, "ben") == 0.0
    (entry,) = [e for e in Ledger(root, "mini").entries if e.outcome == "graded"]
    assert any("exited early (exit status 3)" in r for r in entry.data["reasons"]), entry.data
    (page,) = fetch_feedback(root, "ben").values()
    assert "exit status 3" in page, page


# -- policy and visibility -----------------------------------------------------------------

def test_policy_defaults_overrides_and_errors():
    from traitlets.config import Config
    policy = FeedbackPolicy(config=Config({"FeedbackPolicy": {"assignments": {
        "a": {"max_attempts_per_hour": 3, "before_deadline": "points"}, "b": {"enabled": False}}}}))
    assert policy.for_assignment("other").max_attempts_per_hour == 5
    assert policy.for_assignment("other").before_deadline == "full" and policy.for_assignment("other").enabled
    assert (policy.for_assignment("a").max_attempts_per_hour, policy.for_assignment("a").before_deadline) == (3, "points")
    assert not policy.for_assignment("b").enabled
    for bad, words in (({"max_attempts": 3}, "unknown setting"), ({"before_deadline": "all"}, "must be one of"),
                       ({"max_attempts_per_hour": -1}, "integer >= 0")):
        policy = FeedbackPolicy(config=Config({"FeedbackPolicy": {"assignments": {"a": bad}}}))
        with pytest.raises(ValueError, match=words):
            policy.for_assignment("a")


def test_a_misspelt_policy_stops_the_service_with_its_name(hub_course):
    with (hub_course / "nbgrader_config.py").open("a") as f:
        f.write('\nc.FeedbackPolicy.assignments = {"mini": {"max_attempt_per_hour": 3}}\n')
    proc = subprocess.run([sys.executable, "-m", "autograder.hub_feedback", "--course", str(hub_course), "--once"],
                          cwd=hub_course, env=kernel_env(hub_course), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "unknown setting(s) ['max_attempt_per_hour']" in proc.stderr and "Traceback" not in proc.stderr
    # the same course with the key spelt right: one scan, nothing to do, exit 0
    with (hub_course / "nbgrader_config.py").open("a") as f:
        f.write('\nc.FeedbackPolicy.assignments = {"mini": {"max_attempts_per_hour": 3}}\n')
    proc = subprocess.run([sys.executable, "-m", "autograder.hub_feedback", "--course", str(hub_course), "--once"],
                          cwd=hub_course, env=kernel_env(hub_course), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]


def feedback_notebook():
    nb = nbformat.v4.new_notebook()
    answer = nbformat.v4.new_code_cell("def f(): ...")
    answer.metadata["nbgrader"] = {"grade_id": "a", "solution": True, "grade": False}
    test = nbformat.v4.new_code_cell("check('x.y', f)")
    test.metadata["nbgrader"] = {"grade_id": "t", "grade": True, "solution": False, "points": 2, "score": 0}
    test.outputs = [nbformat.v4.new_output("error", ename="CheckFailed", evalue="y: 3 of 12 values differ", traceback=[])]
    written = nbformat.v4.new_markdown_cell("why")
    written.metadata["nbgrader"] = {"grade_id": "w", "grade": True, "solution": True, "points": 1, "score": 0}
    nb.cells = [answer, test, written]
    return nb


@pytest.mark.parametrize("visibility", ["full", "points", "total"])
def test_visibility(visibility):
    nb, _ = FeedbackVisibility(visibility=visibility, note="hello").preprocess(feedback_notebook(), {})
    text = json.dumps(nb)
    assert nb.cells[0].source == "hello"
    assert ("values differ" in text) == (visibility == "full")  # the message
    assert ('"grade_id": "t"' in text) == (visibility != "total")  # the test cell and its points
    assert nb.cells[-1].metadata["nbgrader"]["grade"] == (visibility != "total")


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_gradebook_course(request, generated_mini, tmp_path):
    """hub_course with its gradebook on SQLite or on PostgreSQL (a server started here)."""
    from postgres_server import PostgresServer
    root = copy_course(generated_mini, tmp_path / "course")
    if request.param == "postgresql":
        server = PostgresServer()
        server.start()
        request.addfinalizer(server.stop)
        server.use_for(root)
    return released_with_exchange(root, tmp_path / "exchange")


def test_the_service_beside_a_staff_batch_and_manual_grading(shared_gradebook_course, service):
    """The three writers of a hub's gradebook at once, on SQLite and on PostgreSQL: the service
    grades ada's fix and ben's first attempt while a grader's batch grades six other students
    and formgrader edits ada's manual comment. Each grade lands once, nobody sees an error."""
    import threading

    from autograder.submissions import filled_release
    from autograder.nbgrader_run import submit as place_submission
    root = shared_gradebook_course
    url = course.gradebook_url(root)
    release, source = root / "release" / "mini" / "mini.ipynb", root / "source" / "mini" / "mini.ipynb"
    staff = [f"s{i}" for i in range(6)]
    for i, student in enumerate(staff):
        answer = None if i % 2 == 0 else {"double_answer": WRONG}
        place_submission(root, "mini", student, filled_release(release, source, answer))
    svc = service(root)
    first = submit(root, "ada", WRONG)
    svc.step()
    assert outcomes(root, "ada")[-1] == (first, "graded")

    stop, errors, edits = threading.Event(), [], []

    def formgrader():
        while not stop.is_set():
            try:
                text = f"edit {len(edits)}"
                with Gradebook(url) as gb:
                    gb.find_comment("double_answer", "mini", "mini", "ada").manual_comment = text
                    gb.db.commit()
                edits.append(text)
            except Exception as exc:  # noqa: BLE001 - what formgrader would show
                errors.append(f"{type(exc).__name__}: {exc}")
            time.sleep(0.05)

    editor = threading.Thread(target=formgrader)
    editor.start()
    batch = subprocess.Popen([sys.executable, "-m", "autograder", "grade", "mini", "--workers", "1",
                              *[a for s in staff for a in ("--student", s)]],
                             cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        fixed, ben = submit(root, "ada", RIGHT), submit(root, "ben", WRONG)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not (outcomes(root, "ada")[-1] == (fixed, "graded")
                                                   and outcomes(root, "ben")[-1:] == [(ben, "graded")]):
            svc.step()
            time.sleep(0.2)
        output = batch.communicate(timeout=300)[0]
    finally:
        stop.set()
        editor.join()
        svc.close()

    assert batch.returncode == 0, output
    assert "could not record" not in output and "locked" not in output, output
    assert not errors, errors[:3]
    assert edits, "formgrader's edits ran during the grading"
    assert outcomes(root, "ada")[-1] == (fixed, "graded") and outcomes(root, "ben")[-1] == (ben, "graded")
    assert (cell_score(root, "ada"), cell_score(root, "ben")) == (2.0, 0.0)
    with Gradebook(url) as gb:
        assert sorted(s.student.id for s in gb.find_assignment("mini").submissions) == sorted(staff + ["ada", "ben"])
        for i, student in enumerate(staff):
            assert gb.find_grade("double_values", "mini", "mini", student).score == (2.0 if i % 2 == 0 else 0.0)
        assert gb.find_comment("double_answer", "mini", "mini", "ada").manual_comment == edits[-1]
    pages = fetch_feedback(root, "ada")
    assert any("Grade cell: double_values Score: 2.0 / 2.0" in page for page in pages.values()), pages
