"""tf_function_pitfalls: what the notebook teaches about tf.function is what TensorFlow does, the
reference solution fixes each broken function, and the exports the hidden checks measure tell the
broken and fixed functions apart."""
import linecache
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder import course
from autograder.exports import RefusedGraph, graph_op_types, load_saved_model
from autograder.submissions import strip_solution_markers
from conftest import REPO

tf = pytest.importorskip("tensorflow")

ASSIGNMENT = "tf_function_pitfalls"


def _run(code: str, namespace: dict, name: str) -> dict:
    """Run code whose source AutoGraph can read (IPython keeps cell sources the same way)."""
    filename = f"<{ASSIGNMENT}:{name}>"
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    exec(compile(code, filename, "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def solution() -> dict:
    namespace: dict = {"__name__": f"solution_{ASSIGNMENT}"}
    (path,) = course.source_notebooks(REPO, ASSIGNMENT)
    for cell in nbformat.read(path, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and not meta.get("grade"):
            _run(strip_solution_markers(cell.source), namespace, meta.get("grade_id", "cell"))
    return namespace


def _export(obj, folder: Path):
    tf.saved_model.save(obj, str(folder))
    return load_saved_model(folder)


def _holder(fn):
    holder = tf.Module()
    holder.f = fn
    return holder


# -- 1. NumPy randomness -------------------------------------------------------------------

def test_numpy_scalar_is_frozen_per_signature():
    ns = _run("@tf.function\ndef f(x):\n    return x + np.random.rand()\n", {"tf": tf, "np": np}, "frozen")
    f = ns["f"]
    a, b = float(f(tf.constant(2.0))) - 2.0, float(f(tf.constant(3.0))) - 3.0
    vector = f(tf.constant([2.0, 3.0])).numpy() - np.array([2.0, 3.0], dtype=np.float32)
    d = float(f(tf.constant(5.0))) - 5.0
    assert abs(a - b) < 1e-6 and abs(a - d) < 1e-6
    assert abs(vector[0] - vector[1]) < 1e-6 and abs(vector[0] - a) > 1e-6


def test_exported_numpy_noise_is_a_constant_and_tf_noise_is_fresh(tmp_path, solution):
    broken = _run("@tf.function\ndef add_jitter(x):\n"
                  "    noise = np.random.uniform(-0.1, 0.1, size=x.shape).astype('float32')\n"
                  "    dummy = 0.0 * tf.random.uniform(tf.shape(x))\n"
                  "    return x + noise + dummy\n", {"tf": tf, "np": np}, "numpy_noise")["add_jitter"]
    x = tf.zeros((50, 40))
    for name, fn in (("broken", broken), ("fixed", solution["add_jitter"])):
        fn.get_concrete_function(tf.TensorSpec((50, 40), tf.float32))
        loaded = _export(_holder(fn), tmp_path / name)
        same = np.array_equal(loaded.f(x).numpy(), loaded.f(x).numpy())
        assert same == (name == "broken"), name
    assert any("Random" in t for t in graph_op_types(tmp_path / "broken"))  # a random op proves nothing


def test_py_function_graphs_are_refused(tmp_path):
    @tf.function
    def add_jitter(x):
        noise = tf.py_function(lambda s: np.random.uniform(-0.1, 0.1, size=s.numpy()).astype("float32"),
                               [tf.shape(x)], tf.float32)
        return x + noise

    add_jitter.get_concrete_function(tf.TensorSpec(None, tf.float32))
    tf.saved_model.save(_holder(add_jitter), str(tmp_path / "m"))
    with pytest.raises(RefusedGraph):
        load_saved_model(tmp_path / "m")


# -- 2. side effects -------------------------------------------------------------------------

def test_python_counter_counts_traces_and_the_variable_counts_calls(tmp_path, solution):
    class Broken(tf.Module):
        def __init__(self):
            super().__init__()
            self.calls = 0

        @tf.function
        def __call__(self, x):
            self.calls += 1
            return tf.reduce_sum(x * x)

    broken = Broken()
    for _ in range(4):
        broken(tf.constant([1.0, 2.0]))
    assert broken.calls == 1
    fixed = solution["SquareCounter"]()
    fixed.__call__.get_concrete_function(tf.TensorSpec(None, tf.float32))
    loaded = _export(fixed, tmp_path / "m")
    for shape in [(3,), (2, 2), (3,)]:
        loaded(tf.ones(shape))
    assert int(loaded.calls.numpy()) == 3


# -- 3. Python range loops -------------------------------------------------------------------

def test_python_range_unrolls_and_retraces_tf_range_does_not(tmp_path, solution):
    ns = _run("@tf.function\ndef broken(n):\n    total = 0\n    for i in range(n):\n        total += i * i\n"
              "    return total\n\n@tf.function\ndef unrolled(n):\n    total = tf.constant(0)\n"
              "    for i in range(n):\n        total += i * i\n    return total\n", {"tf": tf}, "range")
    broken, unrolled = ns["broken"], ns["unrolled"]
    # the prompt's code: Python arithmetic while tracing, the graph holds the result as a constant
    assert [op.type for op in broken.get_concrete_function(60).graph.get_operations()] == ["Const", "Identity"]
    # with a tensor accumulator the Python loop is unrolled: one addition per step
    sizes = [len(unrolled.get_concrete_function(n).graph.get_operations()) for n in (5, 60)]
    assert sizes[1] > sizes[0] + 50
    for n in (3, 7, 9):
        broken(n)
    assert broken.experimental_get_tracing_count() >= 3
    fixed = solution["sum_of_squares"]
    for n in (0, 3, tf.constant(5), 7):
        fixed(n)
    assert fixed.experimental_get_tracing_count() == 1
    loaded = _export(_holder(fixed), tmp_path / "m")
    assert len(loaded.f.concrete_functions) == 1
    assert graph_op_types(tmp_path / "m") & {"While", "StatelessWhile"}
    assert [int(loaded.f(n)) for n in (0, 1, 4, 1000)] == [sum(i * i for i in range(n)) for n in (0, 1, 4, 1000)]


# -- 4. variables created per call -----------------------------------------------------------

def test_variables_created_on_every_call_fail_on_the_first_call():
    class Affine(tf.Module):
        def __init__(self, n_features):
            super().__init__()
            self.n_features = n_features

        @tf.function
        def __call__(self, x):
            self.w = tf.Variable(tf.ones([self.n_features]))
            self.b = tf.Variable(tf.zeros([self.n_features]))
            return x * self.w + self.b

    with pytest.raises(ValueError, match="singleton tf.Variables created on the first call"):
        Affine(3)(tf.ones((1, 3)))


# -- 5. retracing on shapes ------------------------------------------------------------------

def test_retracing_per_shape_and_reduce_retracing_generalises(solution):
    code = ("def standardize(x):\n    mean = tf.reduce_mean(x, axis=0, keepdims=True)\n"
            "    std = tf.math.reduce_std(x, axis=0, keepdims=True)\n    return (x - mean) / (std + 1e-3)\n")
    plain = tf.function(_run(code, {"tf": tf}, "std_plain")["standardize"])
    relaxed = tf.function(_run(code, {"tf": tf}, "std_relaxed")["standardize"], reduce_retracing=True)
    shapes = [(1, 3), (2, 3), (5, 3), (17, 3), (4, 6), (33, 2), (8, 1), (3, 4)]
    for s in shapes:
        plain(tf.ones(s))
        relaxed(tf.ones(s))
    assert plain.experimental_get_tracing_count() == len(shapes)
    assert relaxed.experimental_get_tracing_count() <= 3
    x = np.random.default_rng(0).normal(size=(6, 4)).astype("float32")
    want = (x - x.mean(0)) / (x.std(0) + 1e-3)
    np.testing.assert_allclose(solution["standardize_columns"](x).numpy(), want, rtol=1e-5, atol=1e-5)


# -- 6. TensorArray ------------------------------------------------------------------------

def test_collatz_and_list_append_fails(solution):
    assert solution["collatz"](6).numpy().tolist() == [6, 3, 10, 5, 16, 8, 4, 2, 1]
    assert solution["collatz"](tf.constant(1)).numpy().tolist() == [1]
    ns = _run("@tf.function(input_signature=[tf.TensorSpec(shape=[], dtype=tf.int32)])\ndef collatz(n):\n"
              "    seq = [n]\n    while n != 1:\n        if n % 2 == 0:\n            n = n // 2\n        else:\n"
              "            n = 3 * n + 1\n        seq.append(n)\n    return tf.stack(seq)\n", {"tf": tf}, "list")
    with pytest.raises(Exception):
        ns["collatz"](6)


# -- 7. = vs assign ------------------------------------------------------------------------

def test_rebinding_with_equals_replaces_the_variables(solution):
    class Broken(tf.Module):
        def __init__(self):
            super().__init__()
            self.total = tf.Variable(0.0)
            self.count = tf.Variable(0.0)

        @tf.function
        def update(self, x):
            self.total = self.total + tf.reduce_sum(x)
            self.count = self.count + tf.cast(tf.size(x), tf.float32)
            return self.total / self.count

    broken = Broken()
    assert float(broken.update(tf.constant([1.0, 3.0]))) == pytest.approx(2.0)
    assert not isinstance(broken.total, tf.Variable)
    # the second call reuses the graph, which still reads the never-updated variables
    assert float(broken.update(tf.constant([5.0, 7.0]))) == pytest.approx(6.0)
    fixed = solution["RunningMean"]()
    fixed.update(tf.constant([1.0, 3.0]))
    assert float(fixed.update(tf.constant([5.0]))) == pytest.approx(3.0)
    assert isinstance(fixed.total, tf.Variable) and float(fixed.count.numpy()) == 3.0


# -- 8. print vs tf.print ------------------------------------------------------------------

def test_print_and_tf_print_line_counts(capfd, solution):
    ns = _run("@tf.function\ndef show(x):\n    print('tracing')\n    tf.print('running')\n    return x + 1\n",
              {"tf": tf}, "show")
    show = ns["show"]
    capfd.readouterr()
    show(1); show(1); show(2)  # noqa: E702
    show(tf.constant(1.0)); show(tf.constant(2.0))  # noqa: E702
    show(tf.constant([1.0, 2.0])); show(tf.constant([3.0, 4.0]))  # noqa: E702
    show(tf.constant([1, 2]))
    show(tf.constant([1.0, 2.0, 3.0]))
    show(2)
    show(tf.constant(3.0, dtype=tf.float64))
    sys.stdout.flush()
    out, err = capfd.readouterr()
    assert out.count("tracing") == solution["ANSWER_PRINT_LINES"] == 7
    assert err.count("running") == solution["ANSWER_TF_PRINT_LINES"] == 11


# -- 9. AutoGraph ----------------------------------------------------------------------------

def test_undecorated_callees_are_converted(solution):
    ns = _run("def helper(x):\n    if tf.reduce_sum(x) > 0:\n        x = x + 1.0\n    for i in tf.range(3):\n"
              "        x = x * 2.0\n    return x\n\n@tf.function\ndef outer(x):\n    return helper(x)\n", {"tf": tf},
              "callee")
    concrete = ns["outer"].get_concrete_function(tf.TensorSpec([2], tf.float32))
    graph_def = concrete.graph.as_graph_def()
    ops = {n.op for n in graph_def.node} | {n.op for f in graph_def.library.function for n in f.node_def}
    assert ops & {"If", "StatelessIf"} and ops & {"While", "StatelessWhile"}
    assert solution["ANSWER_CALLEE"] == "b"


def test_function_without_source_is_not_converted(solution):
    ns = {"tf": tf}
    exec("def g(x):\n    if tf.reduce_sum(x) > 0:\n        return x\n    return -x\n", ns)
    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError):
        tf.function(ns["g"])(tf.constant([1.0]))
    assert solution["ANSWER_NO_SOURCE"] == "c"
