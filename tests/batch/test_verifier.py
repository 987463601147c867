"""Checks with measure=: the probe exports the student's tf.Module as a SavedModel, and the
batch grader measures it in a verifier child that ran no student code. What the student's
process claims about its own object (a counter it reports, a measure it patched) is not
evidence there; the same claims fool plain in-kernel grading."""
from __future__ import annotations

import shutil

import pytest

from autograder import nbgrader_run
from autograder.batch.grade import Options, grade
from autograder.generate import generate
from autograder.submissions import filled_release
from conftest import _cell, build_course, course_notebook

pytestmark = pytest.mark.xdist_group("verifier")  # its module fixtures are built once, on one worker

CHECKS = '''
import numpy as np
import tensorflow as tf
from autograder import Close, Exact, SavedModel, hidden_check, load_saved_model


def _measure(exported):
    model = load_saved_model(exported["model"])
    inputs = [np.array([1.5, -2.0], "float32"), np.array([[3.0]], "float32"), np.arange(4, dtype="float32")]
    outputs = [np.ravel(model(tf.constant(x)).numpy()) for x in inputs]
    return {"calls": int(model.calls.numpy()), "outputs": np.concatenate(outputs)}


@hidden_check(compare={"calls": Exact(), "outputs": Close()}, measure=_measure)
def counts_calls(Counter):
    model = Counter()
    model.__call__.get_concrete_function(tf.TensorSpec(None, tf.float32))
    return {"model": SavedModel(model)}
'''

SOLUTION = '''class Counter(tf.Module):
    def __init__(self):
        self.calls = tf.Variable(0)

    @tf.function
    def __call__(self, x):
        ### BEGIN SOLUTION
        self.calls.assign_add(1)
        ### END SOLUTION
        return x * 2.0'''

WRONG = {  # answers that do not count calls in the graph, each with its way of claiming it does
    "python_counter": '''class Counter(tf.Module):
    def __init__(self):
        self.calls = tf.Variable(0)
        self.n = 0

    @tf.function
    def __call__(self, x):
        self.n += 1
        self.calls.assign(self.n)
        return x * 2.0''',
    "py_function_counter": '''class Counter(tf.Module):
    def __init__(self):
        self.calls = tf.Variable(0)

    @tf.function
    def __call__(self, x):
        tf.py_function(lambda: self.calls.assign_add(1), [], [])
        return x * 2.0''',
    "patched_measure": '''class Counter(tf.Module):
    def __init__(self):
        self.calls = tf.Variable(0)

    @tf.function
    def __call__(self, x):
        return x * 2.0

import numpy as np
import autograder.probe as _probe
_probe.run_measure = lambda check, exported, folder: {
    "calls": np.array(3), "outputs": np.array([3.0, -4.0, 6.0, 0.0, 2.0, 4.0, 6.0], "float32")}''',
}


def counter_notebook():
    return course_notebook([
        _cell("markdown", "# Counter · 计数器\nCount the calls of `__call__` in the graph."),
        _cell("code", "import tensorflow as tf", "imports", locked=True),
        _cell("code", SOLUTION, "counter_answer", solution=True),
        _cell("code", "### BEGIN HIDDEN TESTS\nfrom autograder import check\ncheck(\"counter.counts_calls\", Counter)\n"
                      "### END HIDDEN TESTS", "counts_calls", grade=True, locked=True, points=2),
    ])


@pytest.fixture(scope="module")
def counter_course(tmp_path_factory):
    root = build_course(tmp_path_factory.mktemp("verifier") / "course", "counter", counter_notebook(), CHECKS)
    generate(root, "counter", progress=lambda message: None)
    release, source = root / "release" / "counter" / "counter.ipynb", root / "source" / "counter" / "counter.ipynb"
    nbgrader_run.submit(root, "counter", "solution", filled_release(release, source))
    for name, answer in WRONG.items():
        nbgrader_run.submit(root, "counter", name, filled_release(release, source, {"counter_answer": answer}))
    return root


@pytest.fixture(scope="module")
def batch(counter_course):
    records = grade(counter_course, "counter", options=Options(workers=2))
    return {r.student: r for r in records}


def test_the_solution_is_measured_in_the_verifier(batch):
    assert (batch["solution"].status, batch["solution"].score) == ("graded", 2)


@pytest.mark.parametrize("student", sorted(WRONG))
def test_claims_of_the_students_process_are_not_evidence(batch, student):
    assert (batch[student].status, batch[student].score) == ("graded", 0)


def test_a_graph_that_calls_python_is_refused_with_a_reason(batch, counter_course):
    text = (counter_course / "autograded" / "py_function_counter" / "counter" / "counter.ipynb").read_text()
    assert "EagerPyFunc" in text and "which the grader does not run" in text


def test_the_patched_measure_fools_in_kernel_grading_only(counter_course, tmp_path, batch):
    """The same notebook under plain `nbgrader autograde` (measure runs in the student's kernel)."""
    root = shutil.copytree(counter_course, tmp_path / "course", symlinks=True)
    shutil.rmtree(root / "submitted")
    release, source = root / "release" / "counter" / "counter.ipynb", root / "source" / "counter" / "counter.ipynb"
    nbgrader_run.submit(root, "counter", "patched_measure",
                        filled_release(release, source, {"counter_answer": WRONG["patched_measure"]}))
    nbgrader_run.autograde(root, "counter")
    assert nbgrader_run.cell_scores(root, "counter")["patched_measure"]["counts_calls"] == 2
    assert batch["patched_measure"].score == 0
