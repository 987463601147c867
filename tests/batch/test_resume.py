"""A batch killed halfway and started again finishes the rest: one score per student; the work
folder the killed batch left (copies of the submissions) goes with the next batch."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nbgrader.api import Gradebook

from autograder import nbgrader_run
from autograder.batch import workroot
from conftest import copy_course

from .conftest import submit_solution, submit_wrong

STUDENTS = [f"s{i}" for i in range(8)]


def _grade_cmd(root, *extra):
    return subprocess.Popen([sys.executable, "-m", "autograder", "grade", "mini", "--workers", "1", *extra],
                            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)


def test_killed_batch_resumes_without_losing_or_doubling(generated_mini, tmp_path):
    root = copy_course(generated_mini, tmp_path / "course")
    for i, student in enumerate(STUDENTS):
        (submit_solution if i % 2 == 0 else submit_wrong)(root, student)

    proc = _grade_cmd(root)
    graded_lines = 0
    deadline = time.monotonic() + 240
    for line in proc.stdout:
        if ": graded" in line:
            graded_lines += 1
        if graded_lines == 3 or time.monotonic() > deadline:
            break
    left = list(Path(tempfile.gettempdir()).glob(f"{workroot.PREFIX}*-{proc.pid}-*-mini-*"))
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    assert graded_lines == 3
    assert len(left) == 1 and left[0].is_dir(), left  # what nothing of the killed batch removes

    finished = _grade_cmd(root)
    output, _ = finished.communicate(timeout=300)
    assert finished.returncode == 0, output
    assert output.count("already graded") >= 3
    assert not left[0].exists(), "the next batch removes the folder of the killed one"

    with Gradebook(nbgrader_run.db_url(root)) as gb:
        submissions = gb.find_assignment("mini").submissions
        assert sorted(s.student.id for s in submissions) == STUDENTS
        scores = {s.student.id: s.score for s in submissions}
    assert scores == {s: (2.0 if i % 2 == 0 else 0.0) for i, s in enumerate(STUDENTS)}
    for student in STUDENTS:
        assert (root / "autograded" / student / "mini" / "mini.ipynb").is_file()
