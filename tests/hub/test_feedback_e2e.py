"""Feedback seconds after submit (issue 16), end to end in headless Chromium on a real hub
with its grading service (autograder.hub_feedback) and a limit of 2 graded attempts per hour.

e2e-ada submits a LayerNormalization that divides by the variance; she fetches feedback in
her Assignment List and reads the failing check's message; she fixes the layer, submits
again and sees full marks for the cell; the instructor's formgrader shows that latest
submission and its scores; her third submission is over the limit: its feedback page says so,
and the submission is kept (collected) though not graded. Screenshots: hub-fb-*.png."""
from __future__ import annotations

import json
import os
import re
import signal
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.submissions import WrongVariant, solution_answers
from conftest import REPO

from .conftest import ARTIFACTS, course_with, start_hub, stop_hub
from .hub_harness import tagged_processes
from .test_e2e import LONG, fetch_released, login, open_menu, type_into_cell
from hub_env import run_as_grader  # noqa: E402  (hub/, on sys.path from .conftest)
from hub_layout import COURSE_ID  # noqa: E402

pytestmark = [pytest.mark.xdist_group("hub"), pytest.mark.timeout(900)]

ASSIGNMENT = "custom_components"
NOTEBOOK = f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
P = "fb-"
INSTRUCTOR, ADA = f"{P}instructor", f"{P}ada"
ANSWER, TEST = "layernorm_solution", "layernorm_forward_2d"
POLICY = "c.FeedbackPolicy.max_attempts_per_hour = 2  # the test's limit (the default is 5)"


@pytest.fixture(scope="module")
def feedback_course(tmp_path_factory):
    return course_with(tmp_path_factory, ASSIGNMENT, POLICY)


@pytest.fixture
def hub(feedback_course):
    hub = start_hub(feedback_course, P, {INSTRUCTOR: "instructor", ADA: "student"}, "hub-feedback.log",
                    assignment=ASSIGNMENT, feedback=True)
    yield hub
    stop_hub(hub)


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"hub-fb-{name}.png"))


def submissions(page, hub) -> list[dict]:
    """The student's submissions as her Assignment List sees them (oldest first)."""
    listing = page.request.get(f"{hub.url}/user/{ADA}/assignments?course_id={COURSE_ID}").json()
    found = [a for a in listing["value"] if a["status"] == "submitted" and a["assignment_id"] == ASSIGNMENT]
    return sorted(found[0]["submissions"], key=lambda s: s["timestamp"]) if found else []


def submit(page, hub, tag: str) -> float:
    """Submit in the Assignment List; returns when (monotonic) the exchange had it."""
    before = len(submissions(page, hub))
    open_menu(page, "Nbgrader", "Assignment List")
    page.locator("#fetched_assignments_list button", has_text="Submit").click()
    for _ in range(600):
        if len(submissions(page, hub)) > before:
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError("the submission did not appear in the Assignment List")
    shot(page, f"{tag}-submitted")
    return time.monotonic()


def fetch_feedback(page, hub, tag: str, timeout: float = 180) -> str:
    """Press Fetch Feedback until the newest submission has feedback; return its text."""
    deadline = time.monotonic() + timeout
    while True:
        open_menu(page, "Nbgrader", "Assignment List")
        page.click("#refresh_assignments_list")
        page.locator("#submitted_assignments_list button", has_text="Fetch Feedback").first.click()
        page.wait_for_timeout(1000)
        newest = submissions(page, hub)[-1]
        if newest.get("has_local_feedback"):
            break
        assert time.monotonic() < deadline, f"no feedback for {newest['timestamp']} after {timeout:.0f} s"
    shot(page, f"{tag}-list")
    path = newest["local_feedback_path"]
    view = page.context.new_page()
    view.goto(f"{hub.url}/user/{ADA}/files/{path}/{ASSIGNMENT}.html")
    view.wait_for_load_state("load")
    view.screenshot(path=str(ARTIFACTS / f"hub-fb-{tag}-feedback.png"), full_page=False)
    text = " ".join(view.inner_text("body").split())
    view.close()
    return text


def cell_score(text: str, grade_id: str) -> tuple[float, float]:
    match = re.search(rf"Grade cell: {grade_id} Score: ([\d.]+) / ([\d.]+)", text)
    assert match, text[:3000]
    return float(match.group(1)), float(match.group(2))


def cell_text(text: str, grade_id: str) -> str:
    """What the feedback shows under one test cell (up to the next cell heading)."""
    start = text.index(f"Grade cell: {grade_id}")
    rest = text[start + 1:]
    ends = [i for i in (rest.find("Grade cell:"), rest.find("Student's answer")) if i >= 0]
    return text[start:start + 1 + min(ends)] if ends else text[start:]


def test_feedback_seconds_after_submit(hub, contexts):
    right = solution_answers(REPO / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")[ANSWER]
    wrong_variant = WrongVariant.read(REPO / "tests" / "wrong_variants" / ASSIGNMENT / "layernorm_divides_by_variance.py")
    assert TEST in wrong_variant.loses
    wrong = wrong_variant.cells[ANSWER]
    release = nbformat.read(hub.layout.course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    index = next(i for i, c in enumerate(release.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == ANSWER)
    for old in ARTIFACTS.glob("hub-fb-*.png"):
        old.unlink()
    released = run_as_grader(hub.layout, "-m", "nbgrader", "release_assignment", ASSIGNMENT)
    assert released.returncode == 0, released.stderr[-2000:]
    timings = {}

    # -- a wrong LayerNorm: the failing check's message --------------------------------------
    student = contexts()
    page = login(student, hub, ADA)
    page.wait_for_selector("#jp-MainMenu", timeout=LONG)
    fetch_released(page, hub, ADA, ASSIGNMENT)
    page.goto(f"{hub.url}/user/{ADA}/lab/tree/{NOTEBOOK}")
    type_into_cell(page, hub, ADA, NOTEBOOK, index, wrong)
    sent = submit(page, hub, "1-wrong")
    first = fetch_feedback(page, hub, "1-wrong")
    timings["first_feedback_s"] = round(time.monotonic() - sent, 1)
    assert "Graded on submission" in first and "Graded attempts in the last 60 minutes: 1 of 2" in first, first[:2000]
    assert cell_score(first, TEST) == (0.0, 3.0)
    failing = cell_text(first, TEST)
    assert "CheckFailed" in failing and "out of tolerance" in failing, failing

    # -- fixed: full marks for that cell -----------------------------------------------------------
    page.goto(f"{hub.url}/user/{ADA}/lab/tree/{NOTEBOOK}")
    type_into_cell(page, hub, ADA, NOTEBOOK, index, right)
    sent = submit(page, hub, "2-fixed")
    second = fetch_feedback(page, hub, "2-fixed")
    timings["second_feedback_s"] = round(time.monotonic() - sent, 1)
    assert cell_score(second, TEST) == (3.0, 3.0)
    assert "CheckFailed" not in cell_text(second, TEST)
    assert "2 of 2" in second

    # -- the instructor's formgrader: the latest submission and its scores -------------------------
    with Gradebook(f"sqlite:///{hub.layout.course / 'gradebook.db'}") as gb:
        expected = gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, ADA)
        code_score = (expected.code_score, expected.max_code_score)
        forward = gb.find_grade(TEST, ASSIGNMENT, ASSIGNMENT, ADA).score
    assert forward == 3.0
    staff = contexts()
    grader_page = login(staff, hub, INSTRUCTOR, f"/services/{COURSE_ID}/formgrader/manage_students/{ADA}/{ASSIGNMENT}")
    cell = grader_page.locator("td.code-score").first
    cell.wait_for(timeout=LONG)
    shown = cell.inner_text().strip()
    assert shown == f"{code_score[0]:g} / {code_score[1]:g}", (shown, code_score)
    shot(grader_page, "3-formgrader-scores")
    grader_page.locator("td a", has_text=ASSIGNMENT).first.click()
    grader_page.get_by_text("layernorm_forward_2d").first.wait_for(timeout=LONG)
    body = grader_page.content()
    assert "variance + self.eps" not in body  # the fixed layer, not the first attempt
    shot(grader_page, "3-formgrader-submission")

    # -- over the limit: refused with the message, kept ----------------------------------------------
    page.goto(f"{hub.url}/user/{ADA}/lab/tree/{NOTEBOOK}")
    type_into_cell(page, hub, ADA, NOTEBOOK, index, wrong)
    submit(page, hub, "4-over-limit")
    third = fetch_feedback(page, hub, "4-over-limit")
    assert "Attempt limit reached" in third and "This submission is kept" in third, third[:2000]
    kept = hub.layout.course / "submitted" / ADA / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    for _ in range(50):  # the service collected it
        if "variance + self.eps" in kept.read_text():
            break
        time.sleep(0.2)
    assert "variance + self.eps" in kept.read_text()
    with Gradebook(f"sqlite:///{hub.layout.course / 'gradebook.db'}") as gb:
        assert gb.find_grade(TEST, ASSIGNMENT, ASSIGNMENT, ADA).score == 3.0  # not graded now
    ledger = [json.loads(line) for line in (hub.layout.course / ".hub_feedback" / f"{ASSIGNMENT}.jsonl").read_text().splitlines()]
    assert [e["outcome"] for e in ledger] == ["grading", "graded", "grading", "graded", "deferred"]
    (ARTIFACTS / "hub-fb-timings.json").write_text(json.dumps(timings))
    print("submit to feedback fetched:", timings)


# -- the service killed mid-grade --------------------------------------------------------------

K = "fk-"


@pytest.fixture
def kill_hub(feedback_course):
    hub = start_hub(feedback_course, K, {f"{K}ada": "student", f"{K}ben": "student"}, "hub-feedback-kill.log",
                    assignment=ASSIGNMENT, feedback=True)
    yield hub
    stop_hub(hub)


def service_pids(hub) -> list[int]:
    """The grading service's process (found by its command line and the hub's state tag)."""
    pids = []
    for pid in tagged_processes(hub.layout):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"autograder.hub_feedback" in cmdline:
            pids.append(pid)
    return pids


def ledger_of(hub) -> list[dict]:
    path = hub.layout.course / ".hub_feedback" / f"{ASSIGNMENT}.jsonl"
    if not path.is_file():
        return []
    out = []
    for line in path.read_text().splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            pass
    return out


def wait_for(condition, timeout: float, what: str, hub):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} (ledger: {[(e['student'], e['outcome']) for e in ledger_of(hub)]})"
        time.sleep(0.1)


def test_service_killed_mid_grade_grades_each_attempt_once(kill_hub):
    """SIGKILL to the service (and its pool) while it grades; JupyterHub restarts it; the
    interrupted attempt, one submitted while it was down and one after are each graded once."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    import hub_load

    hub = kill_hub
    released = run_as_grader(hub.layout, "-m", "nbgrader", "release_assignment", ASSIGNMENT)
    assert released.returncode == 0, released.stderr[-2000:]
    right = solution_answers(REPO / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")[ANSWER]
    wrong = WrongVariant.read(REPO / "tests" / "wrong_variants" / ASSIGNMENT / "layernorm_divides_by_variance.py").cells[ANSWER]
    ada, ben = (hub_load.Student(hub, f"{K}{n}", f"by {K}{n}", assignment=ASSIGNMENT, cell=ANSWER) for n in ("ada", "ben"))
    for s in (ada, ben):
        s.start_server()
        s.fetch()

    ada.fill_submit(wrong)
    wait_for(lambda: [e["outcome"] for e in ledger_of(hub)] == ["grading"], 120, "grading never started", hub)
    time.sleep(1.5)  # inside the batch grader: its pool is starting or running the notebook
    (pid,) = service_pids(hub)
    os.killpg(pid, signal.SIGKILL)
    assert [e["outcome"] for e in ledger_of(hub)] == ["grading"]  # killed before the attempt was settled
    ben.fill_submit(right)  # arrives while the service is down

    def graded(student: str) -> list[str]:
        return [e["attempt"] for e in ledger_of(hub) if e["student"] == student and e["outcome"] == "graded"]

    # JupyterHub polls its services (every 30 s) and starts a dead one again
    wait_for(lambda: graded(ada.name) and graded(ben.name), 180, "not graded after the restart", hub)
    restarted = service_pids(hub)
    assert restarted and restarted != [pid]
    ada.fill_submit(right)
    wait_for(lambda: len(graded(ada.name)) == 2, 120, "the next attempt was not graded", hub)

    inbound = sorted(p.name for p in (hub.layout.exchange / COURSE_ID / "inbound").iterdir())
    assert len(inbound) == 3
    graded_attempts = [e["attempt"] for e in ledger_of(hub) if e["outcome"] == "graded"]
    assert sorted(graded_attempts) == inbound  # every attempt graded, each exactly once
    with Gradebook(f"sqlite:///{hub.layout.course / 'gradebook.db'}") as gb:
        assert gb.find_grade(TEST, ASSIGNMENT, ASSIGNMENT, ada.name).score == 3.0  # her latest
        assert gb.find_grade(TEST, ASSIGNMENT, ASSIGNMENT, ben.name).score == 3.0
    log = (ARTIFACTS / "hub-feedback-kill.log").read_text()
    assert f"Service {COURSE_ID}-feedback exited with status -9" in log
