"""Several assignments graded in one batch share one pre-warmed interpreter and keep their
records, references and gradebook entries apart."""
from __future__ import annotations

import subprocess
import sys

import pytest

from nbgrader.api import Gradebook

from autograder import course, hidden, nbgrader_run, reference_file
from autograder.runner import pool
from autograder.batch.grade import Options, grade_assignments
from autograder import generate as generate_module
from autograder.errors import SolutionLosesPoints
from autograder.generate import generate_all
from conftest import build_mini_course, copy_course

from .conftest import break_the_references, submit_solution, submit_wrong

pytestmark = pytest.mark.xdist_group("several-assignments")  # the generated course is built once


@pytest.fixture(scope="module")
def generated_two(tmp_path_factory):
    """The mini course with a second assignment, both generated once. Read-only."""
    root = build_mini_course(tmp_path_factory.mktemp("two") / "course", "mini")
    build_mini_course(root, "mini_two")
    generate_all(root, ["mini", "mini_two"], progress=lambda message: None)
    return root


@pytest.fixture
def two_assignment_course(generated_two, tmp_path):
    return copy_course(generated_two, tmp_path / "course")


def _count_pools(monkeypatch) -> list:
    """One entry for each zygote started from now on (each imports TensorFlow anew)."""
    started = []
    real_init = pool.ZygotePool.__init__

    def counting_init(self, *args, **kwargs):
        started.append(1)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(pool.ZygotePool, "__init__", counting_init)
    return started


def test_generate_checks_every_solution_in_one_pool(two_assignment_course, monkeypatch):
    root = two_assignment_course
    for name in ("mini", "mini_two"):
        course.reference_path(root, name).unlink()
    started = _count_pools(monkeypatch)
    said = []
    generate_all(root, ["mini", "mini_two"], progress=said.append)
    assert len(started) == 1
    assert [line.split(" (")[0] for line in said if "done" in line] == ["mini: done", "mini_two: done"]
    for name in ("mini", "mini_two"):
        assert reference_file.read(root, name).checks


def test_generate_stops_at_the_assignment_whose_solution_loses_points(two_assignment_course, monkeypatch):
    """The shared pool does not carry one assignment's verdict into the next: the second
    assignment's broken references fail it, after the first passed in the same pool."""
    root = two_assignment_course
    real_build = generate_module.build_references

    def build_then_break(course_root, assignment):
        path = real_build(course_root, assignment)
        if assignment == "mini_two":
            break_the_references(course_root, assignment)
        return path

    monkeypatch.setattr(generate_module, "build_references", build_then_break)
    started = _count_pools(monkeypatch)
    said = []
    with pytest.raises(SolutionLosesPoints, match=r"(?s)^mini_two: the reference solution.*double_values \(0/2\)"):
        generate_all(root, ["mini", "mini_two"], progress=said.append)
    assert len(started) == 1
    assert any(line.startswith("mini: done") for line in said)
    assert not any(line.startswith("mini_two: done") for line in said)


def test_one_pool_grades_two_assignments(two_assignment_course, monkeypatch):
    root = two_assignment_course
    submit_solution(root, "ada", "mini")
    submit_wrong(root, "ben", "mini")
    submit_wrong(root, "ada", "mini_two")
    submit_solution(root, "cy", "mini_two")
    started = _count_pools(monkeypatch)
    seen = []
    records = grade_assignments(root, ["mini", "mini_two"], options=Options(workers=2),
                                progress=lambda record, done, total: seen.append((done, total)))

    assert len(started) == 1
    assert sorted((r.assignment, r.student, r.status, r.score) for r in records) == [
        ("mini", "ada", "graded", 2.0), ("mini", "ben", "graded", 0.0),
        ("mini_two", "ada", "graded", 0.0), ("mini_two", "cy", "graded", 2.0)]
    assert [done for done, _ in seen] == [1, 2, 3, 4] and {total for _, total in seen} == {4}
    with Gradebook(nbgrader_run.db_url(root)) as gb:
        for assignment, expected in (("mini", {"ada": 2.0, "ben": 0.0}), ("mini_two", {"ada": 0.0, "cy": 2.0})):
            assert {s.student.id: s.score for s in gb.find_assignment(assignment).submissions} == expected


def test_cli_grades_every_assignment_with_all(two_assignment_course):
    root = two_assignment_course
    submit_solution(root, "ada", "mini")
    submit_wrong(root, "ada", "mini_two")
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", "--all", "--workers", "1"],
                          cwd=root, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "ada/mini: graded 2/3" in proc.stderr and "ada/mini_two: graded 0/3" in proc.stderr

    usage = subprocess.run([sys.executable, "-m", "autograder", "grade"], cwd=root, capture_output=True,
                           text=True, timeout=60)
    assert usage.returncode == 2 and "name the assignments to grade, or --all" in usage.stderr


def test_the_costliest_assignment_runs_first(two_assignment_course):
    root = two_assignment_course
    fast = reference_file.read(root, "mini").solution_seconds
    assert fast > 0  # measured when the references were recorded
    slow = reference_file.read(root, "mini_two")
    reference_file.write(root, "mini_two", slow.outputs, hidden.load_checks(root, "mini_two"), fast + 60)
    submit_solution(root, "ada", "mini")
    submit_solution(root, "ada", "mini_two")
    order = []
    grade_assignments(root, ["mini", "mini_two"], options=Options(workers=1),
                      progress=lambda record, done, total: order.append(record.assignment))
    assert order == ["mini_two", "mini"]
