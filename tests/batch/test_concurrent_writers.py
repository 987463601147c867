"""Several writers on one gradebook at once (two graders' batches over overlapping students, and
a grader typing manual scores in formgrader meanwhile), on SQLite and on PostgreSQL: every
submission recorded once with its own score, every manual score kept, and no batch reports a
grade it could not record ("database is locked" never reaches a user)."""
from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from nbgrader.api import Gradebook
from postgres_server import PostgresServer, server_binaries

from autograder import course, nbgrader_run
from conftest import copy_course

from .conftest import submit_solution, submit_wrong

pytestmark = pytest.mark.timeout(900)

STUDENTS = [f"s{i:02d}" for i in range(12)]
FIRST, SECOND = STUDENTS[:7], STUDENTS[6:]  # s06 is graded by both batches
HAND_GRADED = ["s00", "s07"]  # graded once before, then given manual scores during the batches


def _expected(student: str) -> float:
    return 2.0 if int(student[1:]) % 2 == 0 else 0.0


def _batch(root, students):
    args = [a for s in students for a in ("--student", s)]
    return subprocess.Popen([sys.executable, "-m", "autograder", "grade", "mini", "--workers", "1", "--force", *args],
                            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _manual_grading(url: str, stop: threading.Event, written: dict, errors: list) -> None:
    """What formgrader does on each edit of a manual score: find the grade, set it, commit."""
    n = 0
    while not stop.is_set():
        n += 1
        try:
            with Gradebook(url) as gb:
                for student in HAND_GRADED:
                    gb.find_grade("double_values", "mini", "mini", student).manual_score = n % 3
                    gb.find_comment("double_answer", "mini", "mini", student).manual_comment = f"edit {n}"
                gb.db.commit()
            written.update({student: (n % 3, f"edit {n}") for student in HAND_GRADED})
        except Exception as exc:  # noqa: BLE001 - what a grader would see in formgrader
            errors.append(f"{type(exc).__name__}: {exc}")
        time.sleep(0.05)


@pytest.fixture(params=["sqlite", "postgresql"])
def gradebook_course(request, generated_mini, tmp_path):
    root = copy_course(generated_mini, tmp_path / "course")
    if request.param == "postgresql":
        assert server_binaries() is not None, "no PostgreSQL server installed: `make postgres` installs Debian's"
        server = PostgresServer()
        server.start()
        request.addfinalizer(server.stop)
        server.use_for(root)
    for student in STUDENTS:
        (submit_solution if _expected(student) else submit_wrong)(root, student)
    return root


def test_two_batches_and_formgrader_at_once_record_each_grade_once(gradebook_course):
    root = gradebook_course
    url = course.gradebook_url(root)
    first = subprocess.run([sys.executable, "-m", "autograder", "grade", "mini", "--workers", "1",
                            *[a for s in HAND_GRADED for a in ("--student", s)]],
                           cwd=root, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stdout + first.stderr

    stop, written, errors = threading.Event(), {}, []
    editor = threading.Thread(target=_manual_grading, args=(url, stop, written, errors))
    editor.start()
    try:
        batches = [_batch(root, FIRST), _batch(root, SECOND)]
        outputs = [batch.communicate(timeout=600)[0] for batch in batches]
    finally:
        stop.set()
        editor.join()

    for batch, output in zip(batches, outputs):
        assert batch.returncode == 0, output
        assert "could not record" not in output and "locked" not in output, output
    assert not errors, errors[:3]
    assert written, "the manual grading ran during the batches"

    scores = nbgrader_run.cell_scores(root, "mini")
    assert sorted(scores) == STUDENTS
    with Gradebook(url) as gb:
        submissions = gb.find_assignment("mini").submissions
        assert sorted(s.student.id for s in submissions) == STUDENTS  # one submission each
        for student in STUDENTS:
            grade = gb.find_grade("double_values", "mini", "mini", student)
            assert grade.auto_score == _expected(student), student
            if student in HAND_GRADED:
                assert (grade.manual_score, gb.find_comment("double_answer", "mini", "mini", student).manual_comment) \
                    == written[student]
                assert grade.needs_manual_grade
            else:
                assert grade.manual_score is None
        cells = len(gb.find_notebook("mini", "mini").grade_cells)
        assert gb.db.query(type(grade)).count() == cells * len(STUDENTS)  # no grade row twice
