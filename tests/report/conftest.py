"""A graded class on the mini course: right, wrong, blank, crashed and late submissions."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder import nbgrader_run
from autograder.batch.grade import Options, grade
from autograder.report import class_report, export_grades
from conftest import ARTIFACTS, copy_course  # noqa: F401 (ARTIFACTS: for the tests here)

from batch.conftest import HERE as BATCH, read_case, release_and_source, submit_case, submit_wrong
from autograder.submissions import filled_release

DUE = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(days=1)  # after "now" submissions
ON_TIME = DUE - dt.timedelta(hours=5)
LATE = DUE + dt.timedelta(hours=2, minutes=30)


@pytest.fixture(scope="session")
def graded_class(generated_mini, tmp_path_factory):
    root = copy_course(generated_mini, tmp_path_factory.mktemp("report") / "course")
    with Gradebook(nbgrader_run.db_url(root)) as gb:
        gb.update_or_create_assignment("mini", duedate=DUE.replace(tzinfo=None))
        gb.update_or_create_student("ada", first_name="Ada", last_name="Lovelace", email="ada@example.org",
                                    lms_user_id="1001")
    release, source = release_and_source(root)
    nbgrader_run.submit(root, "mini", "ada", filled_release(release, source), when=ON_TIME)
    nbgrader_run.submit(root, "mini", "ben", filled_release(release, source), when=LATE)
    submit_wrong(root, "chen")
    submit_wrong(root, "dana")
    nbgrader_run.submit(root, "mini", "emre", nbformat.read(release, as_version=4), when=ON_TIME)
    submit_case(root, "fatima", read_case(BATCH / "faults" / "os_exit.py"))
    records = grade(root, "mini", options=Options(workers=2, wall_timeout=60, cell_timeout=20))
    report = class_report(root, ["mini"])
    plain, canvas = export_grades(root)
    return {"root": root, "records": {r.student: r for r in records}, "report": report,
            "grades": plain, "canvas": canvas}


def open_page(browser, path: Path):
    """Load a local HTML file with the network cut off: requests to other hosts get an empty
    answer and are listed. Returns the page, the errors it raised or logged, and those URLs."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors, external = [], []

    def offline(route):
        external.append(route.request.url)
        route.fulfill(status=200, body="")

    page.route(re.compile(r"^https?://"), offline)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("requestfailed", lambda req: errors.append(f"failed to load {req.url}"))
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    return page, errors, external
