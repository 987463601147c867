"""Submissions sanitised after the batch has recorded a grade are sanitised like the first ones: the
recording must not change the course configuration the batch sanitises with (it once emptied
Autograde.sanitize_preprocessors, so every submission prepared after the first recording ran
without its hidden tests and scored 0: seen on a proof of 37 notebooks, more than PREPARED_AHEAD
plus the workers)."""
from __future__ import annotations

from autograder import nbgrader_run
from autograder.batch import grade as batch_grade
from conftest import copy_course

from .conftest import submit_solution

STUDENTS = [f"s{i}" for i in range(8)]


def test_every_submission_keeps_its_hidden_tests_when_prepared_after_a_recording(generated_mini, tmp_path,
                                                                                  monkeypatch):
    root = copy_course(generated_mini, tmp_path / "course")
    for student in STUDENTS:
        submit_solution(root, student)
    monkeypatch.setattr(batch_grade, "PREPARED_AHEAD", 0)  # one worker, nothing prepared ahead
    records = batch_grade.grade(root, "mini", options=batch_grade.Options(workers=1))
    assert {r.student: r.status for r in records} == dict.fromkeys(STUDENTS, "graded")
    scores = nbgrader_run.cell_scores(root, "mini")
    full = scores[STUDENTS[0]]
    assert full["double_values"] > 0  # the mini course's automatic cell
    assert all(scores[student] == full for student in STUDENTS), scores
