"""Every submission of a batch is sanitised by nbgrader's pipeline (locked and test cells
restored from the gradebook, hidden tests included), however late the preparing thread gets to
it: recording a grade must leave the grader's configuration as it found it."""
from __future__ import annotations

import copy

import nbformat
import pytest
from conftest import copy_course

from autograder import course
from autograder.batch import grade as grade_module
from autograder.batch.grade import GradingError, Options, grade
from autograder.batch.recorder import GradebookRecorder
from autograder.batch.sanitize import sanitizers

from .conftest import submit_solution, submit_wrong

STUDENTS = [f"s{i}" for i in range(6)]


@pytest.fixture
def class_of_wrong_answers(generated_mini, tmp_path):
    root = copy_course(generated_mini, tmp_path / "course")
    for student in STUDENTS:
        submit_wrong(root, student)
    return root


def test_submissions_prepared_after_the_first_grade_was_recorded_are_sanitised(class_of_wrong_answers, monkeypatch):
    """One worker and nothing prepared ahead: the last submissions are sanitised after the
    first ones were recorded. Each wrong answer passes the visible assert and fails the hidden
    check that sanitising restores."""
    monkeypatch.setattr(grade_module, "PREPARED_AHEAD", 0)
    records = grade(class_of_wrong_answers, "mini", options=Options(workers=1))
    assert sorted(r.student for r in records) == STUDENTS
    for record in records:
        assert (record.status, record.score, record.unjudged) == ("graded", 0.0, False), record


def test_recording_a_grade_leaves_the_configuration_as_it_was(class_of_wrong_answers):
    root = class_of_wrong_answers
    folder = submit_solution(root, "ada").parent
    config = course.load_config(root)
    before = copy.deepcopy(config)
    judged = {"mini": nbformat.read(folder / "mini.ipynb", as_version=4)}
    with GradebookRecorder(root, config, course.gradebook_url(root, config)) as recorder:
        recorder.record("mini", "ada", folder, judged)
    assert sanitizers(config) == sanitizers(before) and len(sanitizers(config)) >= 4
    assert config == before


def test_a_configuration_that_would_not_restore_test_cells_is_refused(class_of_wrong_answers):
    config = class_of_wrong_answers / "nbgrader_config.py"
    config.write_text(config.read_text() + "\nfrom nbgrader.preprocessors import ClearOutput\n"
                      "c.Autograde.sanitize_preprocessors = [ClearOutput]\n")
    with pytest.raises(GradingError, match="no OverwriteCells"):
        grade(class_of_wrong_answers, "mini", options=Options(workers=1))


def test_the_sanitiser_returns_every_connection_it_took_whichever_thread_used_it(generated_mini):
    """The batch builds its Sanitizer in the grading thread, sanitises in the preparing thread
    and closes it in the grading thread again. Every gradebook connection taken on the way must
    be back when it is closed: one left checked out stays open until a garbage collection
    finds it (on PostgreSQL, an idle session of the server's and a psycopg ResourceWarning in
    whatever runs then)."""
    import threading

    from sqlalchemy import event

    from autograder.batch.sanitize import Sanitizer

    root = generated_mini
    sanitizer = Sanitizer(course.load_config(root), course.gradebook_url(root))
    taken = []
    event.listen(sanitizer.gradebook.engine, "checkout", lambda *args: taken.append(1))
    event.listen(sanitizer.gradebook.engine, "checkin", lambda *args: taken.append(-1))
    release = nbformat.read(root / "release" / "mini" / "mini.ipynb", as_version=4)
    preparing = threading.Thread(target=lambda: sanitizer(copy.deepcopy(release), "mini", "mini", "ada"))
    preparing.start()
    preparing.join()
    sanitizer(copy.deepcopy(release), "mini", "mini", "ben")  # the grading thread (the solution gate)
    sanitizer.close()
    assert taken.count(1) >= 1, "the sanitiser read the assignment's cells from the gradebook"
    assert sum(taken) == 0, f"{sum(taken)} connection(s) still checked out after close()"
