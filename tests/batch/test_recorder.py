"""Recording one judged submission (recorder.py): whole or not at all, and patient with another
writer that holds the gradebook."""
from __future__ import annotations

import sqlite3
import threading
import time

import nbformat
import pytest
from nbgrader.api import Gradebook, MissingEntry

from autograder import course
from autograder.batch import recorder as recorder_module
from autograder.batch.recorder import GradebookRecorder, RecordingFailed
from conftest import copy_course

from .conftest import submit_solution

HELD = 6.5  # seconds: longer than SQLite's busy timeout (5 s), which nbgrader's engine keeps


@pytest.fixture
def submitted(generated_mini, tmp_path):
    root = copy_course(generated_mini, tmp_path / "course")
    folder = submit_solution(root, "ada").parent
    judged = {"mini": nbformat.read(folder / "mini.ipynb", as_version=4)}
    return root, folder, judged


def _hold_gradebook(root, seconds: float, held: threading.Event) -> None:
    db = sqlite3.connect(root / "gradebook.db", isolation_level=None)
    db.execute("BEGIN EXCLUSIVE")
    held.set()
    time.sleep(seconds)
    db.execute("COMMIT")
    db.close()


def _record_while_held(root, folder, judged):
    held = threading.Event()
    holder = threading.Thread(target=_hold_gradebook, args=(root, HELD, held))
    config = course.load_config(root)
    with GradebookRecorder(root, config, course.gradebook_url(root, config)) as recorder:
        holder.start()
        held.wait()
        started = time.monotonic()
        try:
            return recorder.record("mini", "ada", folder, judged), time.monotonic() - started
        finally:
            holder.join()


def test_a_gradebook_held_longer_than_sqlites_patience_is_waited_for(submitted):
    root, folder, judged = submitted
    recorded, seconds = _record_while_held(root, folder, judged)
    assert seconds > HELD - 0.5  # it did wait for the other writer
    assert (recorded.score, recorded.max_score) == (2.0, 3.0)  # a test cell without an error output: its points
    with Gradebook(course.gradebook_url(root)) as gb:
        assert gb.find_submission("mini", "ada").student.id == "ada"


def test_without_another_attempt_the_held_gradebook_would_fail_the_recording(submitted, monkeypatch):
    """The other side of the test above: one attempt meets SQLite's "database is locked"."""
    monkeypatch.setattr(recorder_module, "ATTEMPTS", 1)
    root, folder, judged = submitted
    with pytest.raises(RecordingFailed, match="locked"):
        _record_while_held(root, folder, judged)


def test_a_recording_that_fails_halfway_leaves_nothing_of_the_submission(submitted):
    """nbgrader commits each row as it goes; here a submission whose notebook has a graded cell
    the gradebook does not know fails after its rows were created, and none of them remains."""
    root, folder, judged = submitted
    cell = next(c for c in judged["mini"].cells if c.metadata.get("nbgrader", {}).get("grade"))
    cell.metadata.nbgrader["grade_id"] = "not_in_the_gradebook"
    config = course.load_config(root)
    with GradebookRecorder(root, config, course.gradebook_url(root, config)) as recorder:
        with pytest.raises(MissingEntry, match="not_in_the_gradebook"):
            recorder.record("mini", "ada", folder, judged)
    with Gradebook(course.gradebook_url(root)) as gb:
        with pytest.raises(MissingEntry):
            gb.find_submission("mini", "ada")
        with pytest.raises(MissingEntry):
            gb.find_student("ada")
