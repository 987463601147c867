"""The course on JupyterHub, end to end in headless Chromium (Playwright) against a real hub.

The instructor releases tf_function_pitfalls in the formgrader (inside the formgrader
service's JupyterLab, in nbgrader's iframe: nbgrader #1870); ada logs in, fetches it, types the
solution of one answer cell into the notebook, saves, validates and submits; ben submits a
wrong answer to the same cell; the instructor collects in the formgrader, a grader runs the
batch grader (`python -m autograder grade`), the instructor generates and releases feedback;
each student fetches and reads their own feedback and score, cannot open the other's server,
and cannot open the formgrader. Screenshots: build/test-artifacts/hub-*.png.
"""
from __future__ import annotations

import json
import re

import nbformat
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from autograder.submissions import WrongVariant, solution_answers
from conftest import REPO

from .conftest import ARTIFACTS, ASSIGNMENT, start_hub, stop_hub
from hub_env import run_as_grader  # noqa: E402  (hub/, on sys.path from .conftest)
from hub_layout import COURSE_ID, as_root  # noqa: E402

pytestmark = [pytest.mark.xdist_group("hub"), pytest.mark.timeout(600)]

P = "e2e-"
INSTRUCTOR, ADA, BEN = f"{P}instructor", f"{P}ada", f"{P}ben"
ANSWER_CELL, TEST_CELL = "range_solution", "range_loop_in_graph"
NOTEBOOK = f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
COURSE = COURSE_ID
LONG = 150_000  # ms: a server start or a validation on two busy cores


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"hub-{name}.png"))


def login(context, hub, user: str, next_path: str = ""):
    """Log in; without next_path JupyterHub starts the user's server and opens its Lab."""
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{hub.url}/hub/login" + (f"?next={next_path}" if next_path else ""))
    password = json.loads(hub.layout.accounts.read_text())[user]["password"]
    page.fill("#username_input", user)
    page.fill("#password_input", password)
    page.click("#login_submit")
    return page


def open_menu(page, *items: str) -> None:
    page.get_by_role("menuitem", name=items[0], exact=True).click()
    for item in items[1:]:
        page.get_by_role("menuitem", name=item, exact=True).click()


def fetch_released(page, hub, user: str, assignment: str, tries: int = 3) -> None:
    """Fetch `assignment` in the student's Assignment List. nbgrader's list asks the server once
    when it opens and does not ask again after a failed answer (it logs the error to the browser
    console and stays on "Loading"), so when no Fetch button comes the student presses Refresh,
    as anyone would; what the page, the console and the server said is in the failure message."""
    open_menu(page, "Nbgrader", "Assignment List")
    seen = []
    for attempt in range(1, tries + 1):
        item = page.locator("#released_assignments_list .list_item", has_text=assignment)
        try:
            item.locator("button", has_text="Fetch").click(timeout=30_000)
            break
        except PlaywrightTimeout:
            listing = page.request.get(f"{hub.url}/user/{user}/assignments?course_id={COURSE_ID}")
            console = [f"{m.type}: {m.text}" for m in page.console_messages() if m.type in ("error", "warning")]
            seen.append(f"try {attempt}: the list shows {' '.join(page.inner_text('#assignments').split())[:500]!r}; "
                        f"console: {console[-5:]}; the server's listing: {listing.status} {listing.text()[:800]}")
            page.click("#refresh_assignments_list")
    else:
        raise AssertionError(f"{user} found no Fetch button for {assignment}:\n" + "\n".join(seen))
    page.locator("#fetched_assignments_list .list_item", has_text=assignment).first.wait_for()
    if seen:
        print(f"{user} fetched {assignment} after pressing Refresh:", *seen, sep="\n")


def answer_sources():
    right = solution_answers(REPO / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")[ANSWER_CELL]
    wrong = WrongVariant.read(REPO / "tests" / "wrong_variants" / ASSIGNMENT / "python_range_loop.py")
    assert TEST_CELL in wrong.loses
    return right, wrong.cells[ANSWER_CELL]


def cell_index(hub, grade_id: str) -> int:
    release = nbformat.read(hub.layout.course / "release" / NOTEBOOK, as_version=4)
    return next(i for i, c in enumerate(release.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def student_fetches_and_fills(context, hub, user: str, code: str, index: int, tag: str):
    page = login(context, hub, user)
    page.wait_for_selector("#jp-MainMenu", timeout=LONG)
    # JupyterHub's default for users' servers: no framing at all
    csp = page.request.get(f"{hub.url}/user/{user}/lab").headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp
    fetch_released(page, hub, user, ASSIGNMENT)
    shot(page, f"03-{tag}-fetched")
    page.goto(f"{hub.url}/user/{user}/lab/tree/{NOTEBOOK}")
    on_disk = hub.layout.homes / user / NOTEBOOK
    fetched = on_disk.stat().st_ino
    type_into_cell(page, hub, user, NOTEBOOK, index, code)
    # saved by write-then-rename (hub/atomic_save.py): a new file, not the fetched one rewritten
    assert on_disk.stat().st_ino != fetched
    return page


def type_into_cell(page, hub, user: str, notebook: str, index: int, code: str) -> None:
    """Replace the source of cell `index` of the open notebook by typing, save, and wait until
    the server's copy holds it."""
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    cell.wait_for(timeout=LONG)
    source = None
    for attempt in range(2):  # on two busy cores the first keystrokes may reach a notebook still loading
        cell.scroll_into_view_if_needed()
        cell.locator(".cm-content").click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(code)
        page.keyboard.press("Control+s")
        # saved: the server's copy holds the answer
        for _ in range(100):
            got = page.request.get(f"{hub.url}/user/{user}/api/contents/{notebook}?content=1")
            saved = got.json() if got.ok else {}
            source = (saved.get("content") or {}).get("cells", [{}] * (index + 1))[index].get("source")
            if source == code:
                return
            page.wait_for_timeout(200)
    raise AssertionError(f"{user}'s answer was not saved; the server's cell {index} holds:\n{source}")


def submit(page, tag: str) -> None:
    open_menu(page, "Nbgrader", "Assignment List")
    page.locator("#fetched_assignments_list button", has_text="Submit").click()
    page.locator("#submitted_assignments_list .list_item", has_text=ASSIGNMENT).first.wait_for(timeout=LONG)
    shot(page, f"06-{tag}-submitted")


def formgrader_action(frame, column: str, message: str, page, name: str) -> None:
    frame.locator(f"td.{column} a").click()
    modal = frame.locator("#success-modal, #error-modal")
    modal.wait_for(timeout=LONG)
    text = modal.inner_text()
    assert message in text, text[-3000:]
    shot(page, name)
    modal.locator("button[data-dismiss=modal]").first.click()
    modal.wait_for(state="detached")


def read_feedback(context, hub, page, user: str, tag: str) -> str:
    open_menu(page, "Nbgrader", "Assignment List")
    page.click("#refresh_assignments_list")
    page.locator("#submitted_assignments_list button", has_text="Fetch Feedback").click()
    page.locator("#submitted_assignments_list a", has_text="view feedback").wait_for(timeout=LONG)
    listing = page.request.get(f"{hub.url}/user/{user}/assignments?course_id={COURSE}").json()
    (submitted,) = [a for a in listing["value"] if a["status"] == "submitted"]
    (entry,) = [s for s in submitted["submissions"] if s.get("has_local_feedback")] or submitted["submissions"][:1]
    path = entry["local_feedback_path"]
    page.goto(f"{hub.url}/user/{user}/files/{path}/{ASSIGNMENT}.html")
    page.wait_for_load_state("load")
    shot(page, f"09-{tag}-feedback")
    return page.inner_text("body")


def score_in(feedback: str) -> tuple[float, float]:
    match = re.search(r"Score:\s*([\d.]+)\s*/\s*([\d.]+)", feedback)
    assert match, feedback[:500]
    return float(match.group(1)), float(match.group(2))


@pytest.fixture
def hub(hub_course):
    hub = start_hub(hub_course, P, {INSTRUCTOR: "instructor", ADA: "student", BEN: "student"}, "hub-e2e.log")
    yield hub
    stop_hub(hub)


def test_course_on_jupyterhub_in_chromium(hub, contexts):
    right, wrong = answer_sources()
    index = cell_index(hub, ANSWER_CELL)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("hub-[0-9]*.png"):
        old.unlink()

    # -- instructor: formgrader inside the service's JupyterLab (an iframe), release ------------
    for old in ARTIFACTS.glob("hub-failure-*.png"):
        old.unlink()
    staff = contexts()
    lab = login(staff, hub, INSTRUCTOR, f"/services/{COURSE}/lab")
    lab.wait_for_selector("#jp-MainMenu", timeout=LONG)
    csp = lab.request.get(f"{hub.url}/services/{COURSE}/formgrader").headers.get("content-security-policy", "")
    assert "frame-ancestors 'self'" in csp
    open_menu(lab, "Nbgrader", "Formgrader")
    frame = lab.frame_locator("iframe").first
    frame.locator("h1", has_text="Manage Assignments").wait_for(timeout=LONG)  # rendered, not blank (#1870)
    frame.locator("td.name", has_text=ASSIGNMENT).wait_for()
    shot(lab, "02-formgrader-in-lab")
    formgrader_action(frame, "release", f"Successfully released '{ASSIGNMENT}'", lab, "02-released")

    # -- students ---------------------------------------------------------------------------------
    ada_ctx, ben_ctx = contexts(), contexts()
    login_page = ada_ctx.new_page()
    login_page.goto(f"{hub.url}/hub/login")
    shot(login_page, "01-login")
    login_page.close()

    ada = student_fetches_and_fills(ada_ctx, hub, ADA, right, index, "ada")
    shot(ada, "04-ada-answer")
    ada.locator(".jp-NotebookPanel-toolbar").get_by_role("button", name="Validate").click()
    dialog = ada.locator(".jp-Dialog")
    dialog.wait_for(timeout=LONG)
    dialog.get_by_text("Validation Results").wait_for(timeout=LONG)
    report = dialog.inner_text()
    shot(ada, "05-ada-validated")
    # the cell she answered passes its visible tests; the untouched ones are reported
    assert "sum_of_squares(4)" not in report, report[:2000]
    assert "add_jitter" in report
    ada.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    submit(ada, "ada")

    ben = student_fetches_and_fills(ben_ctx, hub, BEN, wrong, index, "ben")
    submit(ben, "ben")

    # -- instructor: collect, grade (batch grader), feedback --------------------------------------
    formgrader_action(frame, "collect", f"Successfully collected submissions of '{ASSIGNMENT}'", lab, "07-collected")
    graded = run_as_grader(hub.layout, "-m", "autograder", "grade", ASSIGNMENT, "--workers", "2")
    (ARTIFACTS / "hub-e2e-grade.log").write_text(graded.stdout + graded.stderr)
    assert graded.returncode == 0, graded.stdout[-3000:] + graded.stderr[-3000:]
    formgrader_action(frame, "generate-feedback", "Successfully generated feedback", lab, "08-feedback-generated")
    formgrader_action(frame, "release-feedback", "Successfully released feedback", lab, "08-feedback-released")

    # -- each student reads their own feedback ------------------------------------------------------
    ada_feedback = read_feedback(ada_ctx, hub, ada, ADA, "ada")
    ben_feedback = read_feedback(ben_ctx, hub, ben, BEN, "ben")
    points = float(nbformat.read(hub.layout.course / "release" / NOTEBOOK, as_version=4)
                   .cells[index + 1].metadata["nbgrader"]["points"])
    ada_score, total = score_in(ada_feedback)
    ben_score, _ = score_in(ben_feedback)
    assert (ada_score, ben_score) == (points, 0.0), (ada_score, ben_score)
    assert total == 30.0
    assert ADA not in ben_feedback and BEN not in ada_feedback

    # -- what a student cannot reach -----------------------------------------------------------------
    probe = ben_ctx.new_page()
    response = probe.goto(f"{hub.url}/user/{ADA}/files/{NOTEBOOK}")
    assert response.status in (403, 404), response.status
    assert right not in probe.content()
    shot(probe, "10-ben-cannot-open-ada")
    response = probe.goto(f"{hub.url}/services/{COURSE}/formgrader")
    assert response.status == 403, response.status
    shot(probe, "11-ben-cannot-open-formgrader")
    response = probe.goto(f"{hub.url}/user/{BEN}/formgrader")
    assert response.status == 404, response.status  # not even a formgrader of his own
    api = probe.request.get(f"{hub.url}/hub/api/users/{ADA}")
    assert api.status in (403, 404)
    # nor, on disk, ada's home (unix accounts) or the course directory
    if as_root():
        for path in (hub.layout.homes / ADA, hub.layout.course):
            mode = path.stat().st_mode & 0o777
            assert mode == 0o700, (path, oct(mode))

    for ctx in (staff, ada_ctx, ben_ctx):
        for page in ctx.pages:
            page.close()  # nothing to keep
    # collected exactly once each, graded as shown
    assert sorted(p.name for p in (hub.layout.course / "submitted").iterdir()) == [ADA, BEN]
