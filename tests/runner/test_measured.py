"""A measure's result is kept by the zygote and given to a later notebook that exported exactly
the same for the same check (same checks.py); anything else is measured again."""
from __future__ import annotations

import json

import numpy as np
import pytest

from autograder import nbgrader_run
from autograder.batch.grade import Options, grade
from autograder.generate import generate
from autograder.probe import ERROR_KEY
from autograder.runner import protocol
from autograder.runner.measured import MeasuredResults
from autograder.submissions import filled_release
from conftest import _cell, build_course, course_notebook

pytestmark = pytest.mark.xdist_group("measured")  # its module fixtures are built once, on one worker

CHECKS = '''
import numpy as np
from autograder import Close, hidden_check


def _measure(exported):
    rate = float(exported["rate"])
    if rate < 0:
        raise ValueError("a negative rate")
    return {"trained": np.array([rate * 2.0, rate ** 2])}


@hidden_check(compare={"trained": Close()}, measure=_measure)
def rate_trains(rate):
    return {"rate": float(rate)}
'''

SOLUTION = "### BEGIN SOLUTION\nrate = 0.5\n### END SOLUTION"
ANSWERS = {"same_as_solution": "rate = 0.5", "same_again": "rate = 1 / 2", "other_rate": "rate = 0.25",
           "negative_rate": "rate = -1.0", "negative_again": "rate = -1.0"}


def rates_notebook():
    return course_notebook([
        _cell("markdown", "# Rates · 学习率\nChoose a learning rate."),
        _cell("code", SOLUTION, "rate_answer", solution=True),
        _cell("code", "### BEGIN HIDDEN TESTS\nfrom autograder import check\ncheck(\"rates.rate_trains\", rate)\n"
                      "### END HIDDEN TESTS", "rate_trains", grade=True, locked=True, points=1),
    ])


def grade_kept(folder, assignment: str, notebook, checks: str, answer_cell: str, answers: dict):
    """A course of one notebook, each answer submitted in `answer_cell`, graded by one worker (the
    reference solution, the gate, is measured first, then the students in order); returns
    ({student: record}, {student: the job's event}, the course's root)."""
    root = build_course(folder / "course", assignment, notebook, checks)
    generate(root, assignment, progress=lambda message: None)
    release = root / "release" / assignment / f"{assignment}.ipynb"
    source = root / "source" / assignment / f"{assignment}.ipynb"
    for student, answer in answers.items():
        nbgrader_run.submit(root, assignment, student, filled_release(release, source, {answer_cell: answer}))
    kept = root.parent / "kept"
    records = grade(root, assignment, options=Options(workers=1, keep_results=kept))
    events = {student: json.loads((kept / assignment / student / f"{assignment}.event.json").read_text())
              for student in answers}
    return {r.student: r for r in records}, events, root


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    return grade_kept(tmp_path_factory.mktemp("measured"), "rates", rates_notebook(), CHECKS, "rate_answer", ANSWERS)


def graded_root(graded):
    return graded[2]


def test_the_same_export_gets_the_kept_result_and_its_points(graded):
    records, events, _ = graded
    for student in ("same_as_solution", "same_again"):
        assert events[student]["verify"].get("kept") is True
        assert (records[student].status, records[student].score) == ("graded", 1)


def test_another_export_is_measured_and_judged_on_its_own_result(graded):
    records, events, _ = graded
    assert "kept" not in events["other_rate"]["verify"]
    assert events["other_rate"]["verify"]["status"] == "exited"
    assert (records["other_rate"].status, records["other_rate"].score) == ("graded", 0)


def test_an_error_is_not_kept(graded):
    records, events, _ = graded
    for student in ("negative_rate", "negative_again"):
        assert "kept" not in events[student]["verify"]
        assert records[student].score == 0
        text = (graded_root(graded) / "autograded" / student / "rates" / "rates.ipynb").read_text()
        assert "a negative rate" in text


# -- a SavedModel export: the same model, written by two notebooks' children ----------------

MODEL_CHECKS = '''
import numpy as np
import tensorflow as tf
from autograder import Close, SavedModel, hidden_check, load_saved_model


def _measure(exported):
    model = load_saved_model(exported["model"])
    return {"outputs": model(tf.constant([1.5, -2.0])).numpy()}


@hidden_check(compare={"outputs": Close()}, measure=_measure)
def doubles(Doubler):
    model = Doubler()
    model.__call__.get_concrete_function(tf.TensorSpec(None, tf.float32))
    return {"model": SavedModel(model)}
'''

MODEL_SOLUTION = ("class Doubler(tf.Module):\n    def __init__(self):\n        self.scale = tf.Variable(2.0)\n\n"
                  "    @tf.function\n    def __call__(self, x):\n        ### BEGIN SOLUTION\n"
                  "        return x * self.scale\n        ### END SOLUTION")
MODEL_ANSWERS = {"same_model": MODEL_SOLUTION.replace("### BEGIN SOLUTION\n", "").replace("        ### END SOLUTION", ""),
                 "other_model": MODEL_SOLUTION.replace("x * self.scale", "x * self.scale + 1.0")}


@pytest.fixture(scope="module")
def graded_models(tmp_path_factory):
    notebook = course_notebook([
        _cell("markdown", "# Doubler · 加倍\nDouble the input in a graph."),
        _cell("code", "import tensorflow as tf", "imports", locked=True),
        _cell("code", MODEL_SOLUTION, "doubler_answer", solution=True),
        _cell("code", "### BEGIN HIDDEN TESTS\nfrom autograder import check\ncheck(\"doubler.doubles\", Doubler)\n"
                      "### END HIDDEN TESTS", "doubles", grade=True, locked=True, points=1),
    ])
    return grade_kept(tmp_path_factory.mktemp("measured-model"), "doubler", notebook, MODEL_CHECKS,
                      "doubler_answer", MODEL_ANSWERS)


def test_the_same_saved_model_from_another_child_gets_the_kept_result(graded_models):
    """Each child writes its export as a user of its own, at its own time, and TensorFlow puts
    a random id in each SavedModel's fingerprint: none of that is part of what is exported."""
    records, events, _ = graded_models
    assert events["same_model"]["verify"].get("kept") is True
    assert (records["same_model"].status, records["same_model"].score) == ("graded", 1)
    assert "kept" not in events["other_model"]["verify"]
    assert (records["other_model"].status, records["other_model"].score) == ("graded", 0)


# -- the keys, without a pool ---------------------------------------------------------------

def _job(tmp_path, course_root, payload_value):
    job = tmp_path / "job"
    job.mkdir(exist_ok=True)
    arrays = protocol.npz_bytes({"rate": np.array(payload_value)})
    stream = protocol.frame_bytes("ready") + protocol.frame_bytes(
        "record", arrays, check="rates.rate_trains", cell=2, arrays=len(arrays))
    (job / protocol.RECORDS).write_bytes(stream)
    request = protocol.Request(id="x", job_dir=str(job), cells_path="", work_dir="", course_root=str(course_root),
                               wall_timeout=1, cell_timeout=1, memory_mb=1, output_limit=1,
                               measured=[["rates.rate_trains", 2]])
    return request, job


def _verified(job, outputs):
    arrays = protocol.npz_bytes(outputs)
    (job / protocol.VERIFIED).write_bytes(protocol.frame_bytes("ready") + protocol.frame_bytes(
        "record", arrays, check="rates.rate_trains", cell=2, arrays=len(arrays)))


@pytest.fixture
def course_root(tmp_path):
    root = tmp_path / "course"
    (root / "grading" / "rates").mkdir(parents=True)
    (root / "grading" / "rates" / "checks.py").write_text(CHECKS)
    return root


def test_a_changed_checks_file_is_measured_again(tmp_path, course_root):
    results = MeasuredResults()
    request, job = _job(tmp_path, course_root, 0.5)
    stream, keys = results.answer(request, str(job / protocol.RECORDS))
    assert stream is None and len(keys) == 1
    _verified(job, {"trained": np.array([1.0, 0.25])})
    results.keep(keys, str(job / protocol.VERIFIED))
    stream, _ = results.answer(request, str(job / protocol.RECORDS))
    kept = protocol.read_stream(stream)
    assert kept.ready and list(kept.records) == [("rates.rate_trains", 2)]
    assert protocol.parse_npz(kept.records[("rates.rate_trains", 2)].payload)["trained"].tolist() == [1.0, 0.25]

    (course_root / "grading" / "rates" / "checks.py").write_text(CHECKS.replace("rate * 2.0", "rate * 3.0"))
    stream, keys_after = results.answer(request, str(job / protocol.RECORDS))
    assert stream is None and keys_after != keys


def test_a_notebook_that_recorded_nothing_to_measure_needs_no_verifier(tmp_path, course_root):
    request, job = _job(tmp_path, course_root, 0.5)
    (job / protocol.RECORDS).write_bytes(protocol.frame_bytes("ready"))
    stream, keys = MeasuredResults().answer(request, str(job / protocol.RECORDS))
    assert keys == {} and protocol.read_stream(stream).ready and not protocol.read_stream(stream).records


def test_an_error_result_is_not_kept(tmp_path, course_root):
    results = MeasuredResults()
    request, job = _job(tmp_path, course_root, -1.0)
    _, keys = results.answer(request, str(job / protocol.RECORDS))
    _verified(job, {ERROR_KEY: np.array("rate_trains: out of memory")})
    results.keep(keys, str(job / protocol.VERIFIED))
    assert results.answer(request, str(job / protocol.RECORDS))[0] is None
