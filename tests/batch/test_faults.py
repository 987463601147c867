"""A failed submission is a record with a reason, never a crashed batch (faults/ and bad input)."""
from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest

from autograder.batch.grade import Options, grade
from conftest import copy_course

from .conftest import (HERE, autograded_text, blank, expected_reason, read_case, submit_case,
                       submit_solution)

pytestmark = pytest.mark.xdist_group("faults")  # its module fixtures are built once, on one worker

FAULTS = sorted((HERE / "faults").glob("*.py"))


def _bad_inputs(root):
    """Submissions whose files are broken in the ways students break them; {student: reason}."""
    from autograder import nbgrader_run
    reasons = {}
    path = submit_solution(root, "corrupt-json")
    path.write_text('{"cells": [ this is not json')
    reasons["corrupt-json"] = "could not be read as a notebook"

    folder = submit_solution(root, "missing-notebook").parent
    (folder / "mini.ipynb").unlink()
    reasons["missing-notebook"] = "mini.ipynb was not submitted"

    path = submit_solution(root, "renamed-notebook")
    path.rename(path.with_name("mini-Copy1.ipynb"))
    reasons["renamed-notebook"] = "taken as mini.ipynb (the notebook was renamed)"

    path = submit_solution(root, "extra-files")
    (path.parent / "notes.txt").write_text("my notes")
    nbformat.write(blank(root), path.with_name("scratch.ipynb"))
    reasons["extra-files"] = "scratch.ipynb is not part of the assignment"

    other = nbformat.v4.new_notebook()
    other.cells = [nbformat.v4.new_code_cell("print('assignment 7')")]
    other.cells[0].metadata["nbgrader"] = {"grade": True, "grade_id": "other_assignment_test",
                                           "locked": True, "points": 5, "schema_version": 3,
                                           "solution": False, "task": False}
    nbgrader_run.submit(root, "mini", "other-assignment", other)
    reasons["other-assignment"] = ""

    nb = nbformat.read(submit_solution(root, "edited-tests"), as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "double_values":
            cell.source = "pass  # edited"
    nbgrader_run.submit(root, "mini", "edited-tests", nb)
    reasons["edited-tests"] = ""

    nb = nbformat.read(submit_solution(root, "deleted-tests"), as_version=4)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "double_values"]
    nbgrader_run.submit(root, "mini", "deleted-tests", nb)
    reasons["deleted-tests"] = "cells double_values were missing and were restored"
    return reasons


EXPECTED_SCORES = {"gigantic_print": 2, "renamed-notebook": 2, "extra-files": 2, "edited-tests": 2,
                   "deleted-tests": 2, "unknown-student": 2}


@pytest.fixture(scope="module")
def faulty(generated_mini, tmp_path_factory):
    root = copy_course(generated_mini, tmp_path_factory.mktemp("faults") / "course")
    for path in FAULTS:
        submit_case(root, path.stem.replace("_", "-"), read_case(path))
    reasons = {p.stem.replace("_", "-"): expected_reason(p) for p in FAULTS}
    reasons.update(_bad_inputs(root))
    submit_solution(root, "unknown-student")
    reasons["unknown-student"] = ""
    records = grade(root, "mini", options=Options(workers=2, wall_timeout=25, cell_timeout=4, memory_mb=3072))
    return root, {r.student: r for r in records}, reasons


def test_every_submission_has_a_record(faulty):
    root, records, reasons = faulty
    assert sorted(records) == sorted(reasons)
    assert all(r.status == "graded" for r in records.values())


@pytest.mark.parametrize("case", [p.stem.replace("_", "-") for p in FAULTS] + [
    "corrupt-json", "missing-notebook", "renamed-notebook", "extra-files", "other-assignment",
    "edited-tests", "deleted-tests", "unknown-student"])
def test_case_is_graded_with_its_reason(faulty, case):
    root, records, reasons = faulty
    record = records[case]
    assert record.score == EXPECTED_SCORES.get(case.replace("-", "_"), EXPECTED_SCORES.get(case, 0))
    reason = reasons[case]
    if reason:
        shown = " ".join(record.reasons) + autograded_text(root, case)
        assert reason in shown


def test_no_child_process_is_left_running(faulty):
    # killed with the notebook's process group; up to 300 forks of a TensorFlow process
    # take a while to tear down, so allow them a bounded time to go
    deadline = time.monotonic() + 120
    while _running_named("forkbomb-kid") and time.monotonic() < deadline:
        time.sleep(1)
    assert _running_named("forkbomb-kid") == []


def _running_named(name: str) -> list[int]:
    """Processes called `name` that are alive (a killed one stays a zombie until init reaps it)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and (proc / "comm").read_text().strip() == name:
                state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    found.append(int(proc.name))
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


def test_rerun_skips_everything_and_force_regrades_one(faulty):
    root, records, _ = faulty
    again = {r.student: r for r in grade(root, "mini", options=Options(workers=2))}
    assert {r.status for r in again.values()} == {"skipped"}
    assert {s: r.score for s, r in again.items()} == {s: r.score for s, r in records.items()}
    forced = grade(root, "mini", ["gigantic-print"], Options(workers=1, force=True))
    assert [(r.student, r.status, r.score) for r in forced] == [("gigantic-print", "graded", 2.0)]
