"""The otter-grader (Gradescope) export: how source cells become otter questions and tests,
the leak check of the committed student notebooks, the command line. The export of each real
assignment (in sync, graded by `otter run` as nbgrader grades it) is checked in
tests/test_course.py, beside the proof it is compared with."""
from __future__ import annotations

import subprocess
import sys

import nbformat
import numpy as np
import pytest

from autograder import course, leaks
from autograder.gradescope import NotConvertible, master_notebook
from autograder.gradescope.master import COURSE_ROOT_LINE
from conftest import ASSIGNMENTS, REPO, mini_notebook

def _raw_sources(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "raw"]


def _test_function(cell, env: dict):
    """Define an otter test cell's function, as otter does, and return it."""
    namespace: dict = {}
    exec(cell.source, namespace)
    (function,) = [v for k, v in namespace.items() if k.startswith("test_")]
    return lambda: function(env)


def test_test_cells_become_all_or_nothing_questions_with_public_and_hidden_tests():
    master = master_notebook(mini_notebook(), {"name": "mini"})
    raw = _raw_sources(master)
    assert raw[0].startswith("# ASSIGNMENT CONFIG\nname: mini")
    assert "# BEGIN QUESTION\nname: double_values\npoints: 2\nall_or_nothing: true\n" in raw
    tests = [c for c in master.cells if c.cell_type == "code" and "def test_double_values" in c.source]
    public, hidden = tests
    assert not public.source.startswith("# HIDDEN") and "check(" not in public.source
    assert hidden.source.startswith("# HIDDEN") and 'check("mini.double_values", double)' in hidden.source
    answer = next(c for c in master.cells if "def double" in c.source and "test_" not in c.source)
    assert "# BEGIN SOLUTION" in answer.source and "### BEGIN SOLUTION" not in answer.source


def test_a_public_test_passes_right_code_and_fails_wrong_code():
    master = master_notebook(mini_notebook(), {"name": "mini"})
    public = next(c for c in master.cells if c.source.startswith("def test_double_values"))
    _test_function(public, {"np": np, "double": lambda x: np.asarray(x) * 2.0})()
    with pytest.raises(AssertionError):
        _test_function(public, {"np": np, "double": lambda x: np.asarray(x)[:1]})()


def test_hidden_tests_point_the_checks_at_the_files_beside_the_submission():
    master = master_notebook(mini_notebook(), {"name": "mini"})
    hidden = next(c for c in master.cells if c.source.startswith("# HIDDEN"))
    public = next(c for c in master.cells if c.source.startswith("def test_double_values"))
    assert repr(COURSE_ROOT_LINE.strip())[1:-1] in hidden.source and "AUTOGRADER_COURSE_ROOT" not in public.source


def test_free_text_answers_become_manually_graded_questions():
    master = master_notebook(mini_notebook(), {"name": "mini"})
    raw = _raw_sources(master)
    assert "# BEGIN QUESTION\nname: why_double\npoints: 1\nmanual: true\n" in raw
    i = next(i for i, c in enumerate(master.cells) if c.source.startswith("# BEGIN QUESTION\nname: why_double"))
    solution = master.cells[i + 2]
    assert solution.cell_type == "markdown" and solution.source.startswith("Model answer.")
    assert "BEGIN SOLUTION" not in solution.source


def test_a_cell_that_is_both_answer_and_test_is_refused_by_name():
    nb = mini_notebook()
    nb.cells[3].metadata["nbgrader"]["solution"] = True
    with pytest.raises(NotConvertible, match="double_values"):
        master_notebook(nb, {"name": "mini"})


def test_committed_student_notebooks_are_leak_free():
    for assignment in ASSIGNMENTS:
        student = REPO / "otter" / assignment / "student" / f"{assignment}.ipynb"
        assert student.is_file(), f"{student} is missing: run `make otter`"
        assert leaks.otter_student_leaks(student, course.source_notebooks(REPO, assignment)[0]) == []


def test_the_leak_check_sees_a_hidden_test_in_otter_metadata():
    assignment = ASSIGNMENTS[0]
    source = course.source_notebooks(REPO, assignment)[0]
    student = nbformat.read(REPO / "otter" / assignment / "student" / f"{assignment}.ipynb", as_version=4)
    _, hidden = leaks.secret_lines(nbformat.read(source, as_version=4))
    student.metadata["otter"]["tests"]["leaked"] = "exec(compile(%r, '<t>', 'exec'), env)" % sorted(hidden)[0]
    tampered = REPO / "build" / "test-artifacts" / "leaky-otter-student.ipynb"
    tampered.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(student, tampered)
    assert any("metadata: hidden-test line" in p for p in leaks.otter_student_leaks(tampered, source))


def test_cli_names_an_unknown_assignment():
    run = subprocess.run([sys.executable, "-m", "autograder", "--course", str(REPO), "otter", "no_such_thing"],
                         capture_output=True, text=True)
    assert run.returncode == 3 and "unknown assignment(s) no_such_thing" in run.stderr
