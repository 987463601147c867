"""What the batch does when the grader itself is the problem: a submission it cannot judge is a
record with the reason (exit status 4, the rest graded, a rerun does not stop on it again); a
reference solution that loses points on this machine stops the batch before anything is
recorded (exit status 3), in `grade` and in `generate`."""
from __future__ import annotations

import json

import pytest

from autograder import cli, course, nbgrader_run
from autograder.batch import grade as grade_module
from autograder.batch.grade import Options, grade
from autograder.batch.marker import is_done
from autograder.errors import SolutionLosesPoints
from conftest import copy_course

from .conftest import break_the_references, submit_solution, submit_wrong


@pytest.fixture
def course_with_three(generated_mini, tmp_path):
    root = copy_course(generated_mini, tmp_path / "course")
    submit_solution(root, "ada")
    submit_wrong(root, "ben")
    submit_solution(root, "cy")
    return root


def test_a_submission_the_grader_cannot_read_is_a_record_and_the_batch_goes_on(course_with_three, monkeypatch):
    real = grade_module.ChildResults.read

    def exploding(job_dir):
        if "--" in job_dir and job_dir.rsplit("/", 1)[-1].startswith("ben--"):
            raise MemoryError("an array header claimed 80 TB")
        return real(job_dir)

    monkeypatch.setattr(grade_module.ChildResults, "read", staticmethod(exploding))
    records = {r.student: r for r in grade(course_with_three, "mini", options=Options(workers=2))}
    assert (records["ada"].score, records["cy"].score) == (2, 2)
    ben = records["ben"]
    assert ben.status == "graded" and ben.unjudged and ben.score == 0
    assert "the grader could not read this notebook's results: MemoryError" in " ".join(ben.reasons)
    assert is_done(course_with_three, "ben", "mini")  # a rerun does not stop on it again
    again = {r.student: r for r in grade(course_with_three, "mini", options=Options(workers=2))}
    assert {r.status for r in again.values()} == {"skipped"}


def test_the_command_says_how_many_were_not_judged(course_with_three, monkeypatch, capsys):
    real = grade_module.ChildResults.read
    monkeypatch.setattr(grade_module.ChildResults, "read",
                        staticmethod(lambda job_dir: real(job_dir) if grade_module.SOLUTION in job_dir else 1 / 0))
    status = cli.main(["--course", str(course_with_three), "grade", "mini", "--workers", "1"])
    assert status == 4
    assert "3 of 3 submissions could not be judged or recorded" in capsys.readouterr().err


def test_a_test_cell_that_lost_its_hidden_check_costs_its_points_loudly(course_with_three, monkeypatch):
    """The checks a test cell must record come from the gradebook, not from the text that ran:
    were sanitising ever to hand over a test cell without its hidden check, the wrong answer
    would otherwise be judged on the visible assertions alone (issue 14: a wrong variant seen
    with 2 points and an empty test cell under heavy load)."""
    real = grade_module.Sanitizer.__call__

    def losing_the_hidden_part(self, nb, assignment, notebook, student):
        nb = real(self, nb, assignment, notebook, student)
        if student == "ben":
            for cell in nb.cells:
                if "### BEGIN HIDDEN TESTS" in cell.source:
                    cell.source = cell.source.split("### BEGIN HIDDEN TESTS")[0]
        return nb

    monkeypatch.setattr(grade_module.Sanitizer, "__call__", losing_the_hidden_part)
    records = {r.student: r for r in grade(course_with_three, "mini", options=Options(workers=2))}
    assert (records["ada"].score, records["cy"].score) == (2, 2)
    ben = records["ben"]
    assert ben.score == 0 and ben.unjudged
    assert "hidden check is missing from the test cell that ran" in " ".join(ben.reasons)
    assert "double_values: mini.double_values" in " ".join(ben.reasons)
    kept = course_with_three / ".autograder" / "mini" / "defects" / "ben--mini"
    assert "check(" not in json.loads((kept / "cells.json").read_text())[3]["source"]


def test_a_solution_that_loses_points_stops_the_batch_before_anything_is_recorded(course_with_three, capsys):
    break_the_references(course_with_three)
    with pytest.raises(SolutionLosesPoints, match=r"(?s)reference solution does not earn every automatic point.*"
                                                  r"double_values \(0/2\): CheckFailed"):
        grade(course_with_three, "mini", options=Options(workers=2))
    assert not any(is_done(course_with_three, s, "mini") for s in ("ada", "ben", "cy"))
    assert nbgrader_run.cell_scores(course_with_three, "mini") == {}
    status = cli.main(["--course", str(course_with_three), "grade", "mini", "--workers", "1"])
    assert status == 3 and "reference solution does not earn" in capsys.readouterr().err


def test_limits_no_notebook_can_live_with_stop_the_batch_at_the_solution(course_with_three):
    """An address space too small for any notebook: the solution shows it, nobody gets a zero."""
    with pytest.raises(SolutionLosesPoints, match="exited early"):
        grade(course_with_three, "mini", options=Options(workers=2, memory_mb=1))
    assert nbgrader_run.cell_scores(course_with_three, "mini") == {}


def test_a_child_that_cannot_start_says_why_before_any_student_code(tmp_path):
    from autograder.runner import protocol
    from autograder.runner.pool import Job, ZygotePool
    tmp_path.chmod(0o755)
    (tmp_path / "work").mkdir()
    request = protocol.Request(id="x", job_dir=str(tmp_path), cells_path=str(tmp_path / "missing.json"),
                               work_dir=str(tmp_path / "work"), course_root=str(tmp_path), wall_timeout=60,
                               cell_timeout=10, memory_mb=4096, output_limit=1000)
    events = []
    with ZygotePool(1) as pool:
        pool.run([Job(request)], lambda job, event: events.append(event))
    assert (events[0].status, events[0].code) == ("exited", protocol.ChildExit.SETUP_FAILED)
    fd = protocol.open_job_dir(tmp_path)
    stream = protocol.read_records(fd)
    assert not stream.ready and "FileNotFoundError" in stream.setup_error and "missing.json" in stream.setup_error


def test_most_notebooks_failing_to_start_stop_the_batch():
    from types import SimpleNamespace
    from autograder.batch.gate import GraderBroken, SolutionGate
    gate = SolutionGate([SimpleNamespace(assignment="mini", total=0)])
    for error in (None, "PermissionError: mount /tmp", "PermissionError: mount /tmp"):
        gate.count(error)
    with pytest.raises(GraderBroken, match=r"3 of 4 notebooks could not start \(PermissionError"):
        gate.count("PermissionError: mount /tmp")


def test_generate_fails_when_the_solution_loses_points(course_with_three, monkeypatch):
    from autograder import generate as generate_module
    monkeypatch.setattr(generate_module, "build_references",
                        lambda root, assignment: break_the_references(root) or course.reference_path(root, assignment))
    with pytest.raises(SolutionLosesPoints, match="double_values"):
        generate_module.generate(course_with_three, "mini", progress=lambda message: None)


def test_the_solution_run_alone_earns_every_point_and_says_how_long_it_ran(course_with_three):
    from autograder.batch.grade import check_solution
    run = check_solution(course_with_three, "mini")
    assert run.problems == [] and 0 < run.seconds < 60
    break_the_references(course_with_three)
    assert any("double_values (0/2): CheckFailed" in p for p in check_solution(course_with_three, "mini").problems)


def test_a_course_named_by_a_relative_path_grades_as_by_its_absolute_one(course_with_three, monkeypatch):
    """A library caller in the course's parent folder (a notebook, an interactive session):
    the children run from elsewhere and the course is hidden from them by its path."""
    from pathlib import Path

    from autograder.batch.grade import check_solution
    monkeypatch.chdir(course_with_three.parent)
    relative = Path(course_with_three.name)
    assert check_solution(relative, "mini").problems == []
    records = {r.student: r for r in grade(relative, "mini", options=Options(workers=2))}
    assert {s: (r.status, r.score) for s, r in records.items()} == {
        "ada": ("graded", 2), "ben": ("graded", 0), "cy": ("graded", 2)}
