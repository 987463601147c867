"""The LMS export parses as Canvas's import layout, one row per student, totals from the gradebook."""
from __future__ import annotations

import csv

from nbgrader.api import Gradebook

from autograder import nbgrader_run
from autograder.report.lms import FIXED_COLUMNS


def test_canvas_csv_layout_and_totals(graded_class):
    root = graded_class["root"]
    with graded_class["canvas"].open(newline="") as f:
        rows = list(csv.reader(f))
    header, points, students = rows[0], rows[1], rows[2:]
    assert header == FIXED_COLUMNS + ["mini"]
    assert points[0].strip() == "Points Possible"
    with Gradebook(nbgrader_run.db_url(root)) as gb:
        assert float(points[-1]) == gb.find_assignment("mini").max_score
        expected = {s.id: gb.find_submission("mini", s.id).score for s in gb.students}
    assert len(students) == len(expected) == 6
    by_id = {row[2]: row for row in students}
    assert {sid: float(row[-1]) for sid, row in by_id.items()} == expected
    assert by_id["ada"][:4] == ["Lovelace, Ada", "1001", "ada", "ada@example.org"]


def test_plain_nbgrader_export_agrees(graded_class):
    with graded_class["grades"].open(newline="") as f:
        plain = {r["student_id"]: float(r["score"]) for r in csv.DictReader(f)}
    with graded_class["canvas"].open(newline="") as f:
        canvas = {row[2]: float(row[-1]) for row in list(csv.reader(f))[2:]}
    assert plain == canvas
