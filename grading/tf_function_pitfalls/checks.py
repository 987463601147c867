"""Hidden checks for tf_function_pitfalls.

Every coding check judges evidence measured outside the student's code: the probe (the
student's process) only traces the student's `tf.function`s / `tf.Module`s and exports them as
SavedModels; `measure` (a process that ran no student code) loads them with
`load_saved_model` (graphs with Python callbacks such as `tf.py_function`, or I/O ops, are
refused) and runs the loaded graphs on inputs chosen there. What is judged:

* jitter_fresh_noise: the noise of two calls of the loaded graph on one input (differs, range,
  mean, spread), and outputs for inputs of other shapes. NumPy noise is a constant in the
  exported graph; a dummy random op next to it changes nothing.
* counter_counts_calls: the loaded modules' `calls` variables after calls of the loaded
  `__call__` (a Python counter is not in the export at all), and the returned sums.
* range_loop_in_graph / collatz_single_graph: the student's function, after the probe called it
  with Python ints and int32 tensors, holds exactly one concrete function (a function that
  retraces per Python int exports one per value), that one graph computes the right values for
  many n chosen in measure, and holds a While op.
* affine_variables_once: the loaded module's variables (from the export's object graph), its
  output with the initial values, and its outputs after measure assigns new values.
* standardize_no_retrace: how many concrete functions the exported function holds after the
  probe's calls (the tracing count), and the values of the loaded graph on matrices of shapes the
  probe never used (a graph traced for fixed shapes cannot serve them).
* running_mean_assign: the loaded module's means, and its `total`/`count` variables after calls.
* collatz_values and the numeric/choice answers: values (outputs on hidden inputs / answers).
"""
import contextlib
import io
import math
import os
import sys
import warnings
from pathlib import Path

import numpy as np
import tensorflow as tf

from autograder import AtMost, CheckFailed, Close, Exact, SavedModel, hidden_check, load_saved_model
from autograder.exports import graph_op_types

_LOOP_OPS = {"While", "StatelessWhile"}


def _is_random(op_type):
    return any(key in op_type for key in ("Random", "Uniform", "Normal", "Multinomial"))


@contextlib.contextmanager
def _quiet():
    """Drop what the loaded graphs print (a student's tf.print debugging line) and the warnings
    of loading: measure's output is its return value only."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    saved = [os.dup(1), os.dup(2)]
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, devnull):
            os.close(fd)


# Ops that reach outside the computation although load_saved_model's list lets them through:
# tf.print into a file ("file://..." output stream), file-backed constants and checkpoint readers.
_PRINT_STREAMS = {"", "stderr", "stdout", "log(info)", "log(warning)", "log(error)"}  # "": the default (stderr)
_MORE_REFUSED = {"ImmutableConst", "LoadAndRemapMatrix", "GenerateVocabRemapping"}


def _proto(folder):
    """The export's saved_model.pb, parsed (graph_op_types validates the file first)."""
    from tensorflow.core.protobuf import saved_model_pb2
    graph_op_types(folder)
    proto = saved_model_pb2.SavedModel()
    proto.ParseFromString((Path(folder) / "saved_model.pb").read_bytes())
    return proto


def _load(check, folder):
    for meta in _proto(folder).meta_graphs:
        nodes = list(meta.graph_def.node) + [n for f in meta.graph_def.library.function for n in f.node_def]
        for node in nodes:
            stream = node.attr["output_stream"].s.decode(errors="replace") if node.op == "PrintV2" else ""
            if node.op in _MORE_REFUSED or stream not in _PRINT_STREAMS:
                what = f"{node.op} into {stream}" if stream else node.op
                raise CheckFailed(f"{check}: the exported graph uses {what}, which the grader does not run")
    with _quiet():
        return load_saved_model(folder)


def _saved_variables(folder):
    """(dtype, shape) of every variable in an export's object graph."""
    found = []
    for node in _proto(folder).meta_graphs[0].object_graph_def.nodes:
        if node.WhichOneof("kind") == "variable":
            found.append((tf.dtypes.as_dtype(node.variable.dtype).name, [d.size for d in node.variable.shape.dim]))
    return found


def _exported_function(check, model):
    """The student's function in a loaded `_function_export` and its concrete functions (one per
    trace); only a tf.function is saved with its graphs."""
    fn = getattr(model, "f", None)
    found = getattr(fn, "concrete_functions", None)
    if found is None:
        raise CheckFailed(f"{check}: the exported object is not a tf.function: decorate it with @tf.function")
    return fn, list(found)


def _function_export(fn, concretes=()):
    """A module holding the student's tf.function `fn` (every concrete function it traced is
    saved with it) and the variables its concrete functions capture (a global
    tf.random.Generator, for example)."""
    holder = tf.Module()
    holder.f = fn
    holder.captured = [v for c in concretes for v in c.variables]
    return SavedModel(holder)


def _loaded_method(check, loaded, name, label):
    """A method of a loaded module, present only when it was saved as a tf.function (a plain
    Python method is not in the export); `__call__` is called through the module itself."""
    if getattr(getattr(loaded, name, None), "concrete_functions", None) is None:
        raise CheckFailed(f"{check}: {label} is not in the exported module: decorate it with @tf.function")
    return loaded if name == "__call__" else getattr(loaded, name)


def _require_tf_function(fn, name):
    if not hasattr(fn, "get_concrete_function"):
        raise TypeError(f"{name} must be decorated with @tf.function")


# -- 1. fresh noise -----------------------------------------------------------------------

_JITTER_SHAPE = (100, 80)


def _measure_jitter(exported):
    model = _load("jitter_fresh_noise", exported["model"])  # keep it: it owns the captured variables
    f, _ = _exported_function("jitter_fresh_noise", model)
    rng = np.random.default_rng(5101)
    x = rng.normal(0.0, 3.0, size=_JITTER_SHAPE).astype("float32")
    others = [rng.normal(size=s).astype("float32") for s in [(7,), (2, 3, 4)]]
    with _quiet():
        y1, y2 = np.asarray(f(tf.constant(x))), np.asarray(f(tf.constant(x)))
        try:
            shapes = [list(np.asarray(f(tf.constant(o))).shape) == list(o.shape) for o in others]
        except Exception:
            raise CheckFailed("jitter_fresh_noise: add_jitter does not work for an input whose shape is only known "
                              "at run time (use tf.shape(x))") from None
    n1, n2 = y1.astype(np.float64) - x, y2.astype(np.float64) - x
    sigma = 0.2 / math.sqrt(12.0)  # the standard deviation of U(-0.1, 0.1)
    return {
        "shape": list(y1.shape),
        "dtype": str(y1.dtype),
        "calls_differ": bool(np.mean(np.abs(n1 - n2) > 1e-6) > 0.9),
        "in_range": bool(all(np.all(n >= -0.1 - 1e-5) and np.all(n <= 0.1 + 1e-5) for n in (n1, n2))),
        "mean_ok": bool(all(abs(n.mean()) < 0.003 for n in (n1, n2))),
        "std_ok": bool(all(abs(n.std() - sigma) < 0.003 for n in (n1, n2))),
        "dynamic_shapes": shapes,
        "random_op_in_graph": any(_is_random(t) for t in graph_op_types(exported["model"])),
    }


@hidden_check(compare={
    "shape": Exact(), "dtype": Exact(), "calls_differ": Exact(), "in_range": Exact(),
    "mean_ok": Exact(), "std_ok": Exact(), "dynamic_shapes": Exact(), "random_op_in_graph": Exact(),
}, measure=_measure_jitter)
def jitter_fresh_noise(add_jitter):
    _require_tf_function(add_jitter, "add_jitter")
    concretes = [add_jitter.get_concrete_function(tf.TensorSpec(_JITTER_SHAPE, tf.float32))]
    with contextlib.suppress(Exception):  # whether it works for an unknown shape is measured
        concretes.append(add_jitter.get_concrete_function(tf.TensorSpec(None, tf.float32)))
    return {"model": _function_export(add_jitter, concretes)}


# -- 2. a call counter --------------------------------------------------------------------

def _count(module):
    calls = getattr(module, "calls", None)
    return int(calls.numpy()) if isinstance(calls, tf.Variable) else -1


def _measure_counter(exported):
    box = _load("counter_counts_calls", exported["model"])
    a = _loaded_method("counter_counts_calls", box.a, "__call__", "SquareCounter.__call__")
    b = _loaded_method("counter_counts_calls", box.b, "__call__", "SquareCounter.__call__")
    rng = np.random.default_rng(5202)
    before = [_count(box.a), _count(box.b)]
    outputs = []
    with _quiet():
        for i, shape in enumerate([(3,), (3,), (2, 2), (3,), (2, 2), (3,), (3,), (2, 2)]):
            outputs.append(float(a(tf.constant(rng.normal(size=shape).astype("float32")))))
            if i % 3 == 0:  # the second instance, called in between: its own counter
                b(tf.constant(rng.normal(size=(4,)).astype("float32")))
    return {
        "outputs": np.array(outputs, dtype=np.float32),
        "calls": np.array(before + [_count(box.a), _count(box.b)], dtype=np.int64),
    }


@hidden_check(compare={"outputs": Close(rtol=1e-5, atol=1e-5), "calls": Exact()}, measure=_measure_counter)
def counter_counts_calls(SquareCounter):
    box = tf.Module()
    box.a, box.b = SquareCounter(), SquareCounter()
    for m in (box.a, box.b):
        _require_tf_function(m.__call__, "SquareCounter.__call__")
        m.__call__.get_concrete_function(tf.TensorSpec(None, tf.float32))
    return {"model": SavedModel(box)}


# -- 3. a loop in the graph, one trace for every n ----------------------------------------

def _single_graph_calls(name, fn, calls):
    """Call the student's function as a student would (Python ints and int32 tensors), then
    export it with every concrete function those calls traced."""
    _require_tf_function(fn, name)
    for n in calls:
        fn(n)
    return {"model": _function_export(fn)}


def _run_on(f, name, ns):
    """The loaded function on each n, alternately as an int32 tensor and a Python int."""
    results = []
    with _quiet():
        for i, n in enumerate(ns):
            try:
                results.append(np.asarray(f(tf.constant(n, tf.int32) if i % 2 == 0 else n)))
            except Exception:
                raise CheckFailed(f"{name}: the exported function cannot be called with a new n: it was traced "
                                  f"for fixed values of n only (give it an input_signature)") from None
    return results


def _measure_range(exported):
    model = _load("range_loop_in_graph", exported["model"])  # keep it: it owns the captured variables
    f, concretes = _exported_function("range_loop_in_graph", model)
    results = _run_on(f, "range_loop_in_graph", [0, 1, 2, 5, 13, 64, 100, 257, 999, 1000])
    return {
        "values": np.array([int(r) for r in results], dtype=np.int64),
        "dtype": str(results[0].dtype),
        "traces": len(concretes),
        "has_loop_op": bool(graph_op_types(exported["model"]) & _LOOP_OPS),
    }


@hidden_check(compare={"values": Exact(), "dtype": Exact(), "traces": AtMost(1), "has_loop_op": Exact()},
              measure=_measure_range)
def range_loop_in_graph(sum_of_squares):
    return _single_graph_calls("sum_of_squares", sum_of_squares, [0, 1, 7, 50, tf.constant(13), 2, tf.constant(0), 333])


# -- 4. variables created once ------------------------------------------------------------

_N_FEATURES = 5


def _measure_affine(exported):
    variables = _saved_variables(exported["model"])
    m = _load("affine_variables_once", exported["model"])
    rng = np.random.default_rng(5303)
    x1, x2, x3 = (rng.normal(size=(rows, _N_FEATURES)).astype("float32") for rows in (4, 7, 2))
    call = _loaded_method("affine_variables_once", m, "__call__", "Affine.__call__")
    with _quiet():
        first = np.asarray(call(tf.constant(x1)))
    w, b = getattr(m, "w", None), getattr(m, "b", None)
    if not (isinstance(w, tf.Variable) and isinstance(b, tf.Variable)):
        raise CheckFailed("affine_variables_once: self.w and self.b of the exported module are not tf.Variables")
    try:
        w.assign(rng.normal(1.0, 0.5, size=_N_FEATURES).astype(w.dtype.as_numpy_dtype).reshape(w.shape))
        b.assign(rng.normal(0.0, 0.5, size=_N_FEATURES).astype(b.dtype.as_numpy_dtype).reshape(b.shape))
    except Exception:
        raise CheckFailed(f"affine_variables_once: w and b must have shape ({_N_FEATURES},), got {w.shape} and {b.shape}") from None
    with _quiet():
        y2, y3 = np.asarray(call(tf.constant(x2))), np.asarray(call(tf.constant(x3)))
    return {
        "first_output": first,
        "outputs": np.concatenate([y2, y3], axis=0),
        "n_variables": len(variables),
        "float32_vectors": sum(1 for dtype, shape in variables if dtype == "float32" and shape == [_N_FEATURES]),
    }


@hidden_check(compare={
    "first_output": Close(rtol=1e-6, atol=1e-6), "outputs": Close(rtol=1e-5, atol=1e-5),
    "n_variables": Exact(), "float32_vectors": Exact(),
}, measure=_measure_affine)
def affine_variables_once(Affine):
    m = Affine(_N_FEATURES)
    _require_tf_function(m.__call__, "Affine.__call__")
    m.__call__.get_concrete_function(tf.TensorSpec([None, _N_FEATURES], tf.float32))
    return {"model": SavedModel(m)}


# -- 5. no retracing on new shapes --------------------------------------------------------

def _columns(rng, shape):
    return (rng.normal(size=shape) * rng.uniform(0.5, 4.0, size=(1, shape[1]))
            + rng.normal(size=(1, shape[1]))).astype("float32")


def _measure_standardize(exported):
    model = _load("standardize_no_retrace", exported["model"])  # keep it: it owns the captured variables
    f, concretes = _exported_function("standardize_no_retrace", model)
    rng = np.random.default_rng(5404)
    parts = []
    with _quiet():
        for shape in [(6, 5), (40, 3), (1, 7), (9, 2), (3, 3), (25, 1), (2, 8), (12, 4)]:
            try:
                parts.append(np.asarray(f(tf.constant(_columns(rng, shape)))).ravel())
            except Exception:
                raise CheckFailed("standardize_no_retrace: the exported function has no graph for a matrix of a new "
                                  "shape: it was traced for fixed shapes only") from None
    return {"values": np.concatenate(parts), "tracing_count": len(concretes)}


@hidden_check(compare={"values": Close(rtol=1e-4, atol=1e-5), "tracing_count": AtMost(3)},
              measure=_measure_standardize)
def standardize_no_retrace(standardize_columns):
    _require_tf_function(standardize_columns, "standardize_columns")
    rng = np.random.default_rng(5405)
    for shape in [(1, 3), (2, 3), (5, 3), (17, 3), (4, 6), (33, 2), (8, 1), (3, 4)]:
        standardize_columns(tf.constant(_columns(rng, shape)))
    return {"model": _function_export(standardize_columns)}


# -- 6. TensorArray -----------------------------------------------------------------------

_COLLATZ_NS = [1, 2, 3, 6, 7, 27, 97, 871, 1000]


@hidden_check(compare={"values": Exact(), "lengths": Exact(), "dtype": Exact()})
def collatz_values(collatz):
    """Values on hidden n, from the student's function (Python code that computes them earns
    these 2 points; collatz_single_graph asks for the graph)."""
    seqs = [collatz(n) for n in _COLLATZ_NS]
    return {
        "values": np.concatenate([np.asarray(s).astype(np.int64).ravel() for s in seqs]),
        "lengths": np.array([int(np.asarray(s).size) for s in seqs], dtype=np.int64),
        "dtype": seqs[0].dtype.name,
    }


def _measure_collatz(exported):
    model = _load("collatz_single_graph", exported["model"])  # keep it: it owns the captured variables
    f, concretes = _exported_function("collatz_single_graph", model)
    results = _run_on(f, "collatz_single_graph", [27, 9, 703, 1, 64, 999, 2, 313])
    return {
        "lengths": np.array([r.size for r in results], dtype=np.int64),
        "firsts_and_lasts": np.array([[int(r.ravel()[0]), int(r.ravel()[-1])] if r.size else [0, 0] for r in results],
                                     dtype=np.int64),
        "traces": len(concretes),
        "has_loop_op": bool(graph_op_types(exported["model"]) & _LOOP_OPS),
    }


@hidden_check(compare={"lengths": Exact(), "firsts_and_lasts": Exact(), "traces": AtMost(1), "has_loop_op": Exact()},
              measure=_measure_collatz)
def collatz_single_graph(collatz):
    return _single_graph_calls("collatz", collatz, [5, 12, tf.constant(19), 1, tf.constant(64), 41])


# -- 7. assign, not = ---------------------------------------------------------------------

def _value(module, name):
    v = getattr(module, name, None)
    return float(v.numpy()) if isinstance(v, tf.Variable) else math.nan


def _measure_running_mean(exported):
    variables = _saved_variables(exported["model"])
    m = _load("running_mean_assign", exported["model"])
    update = _loaded_method("running_mean_assign", m, "update", "RunningMean.update")
    rng = np.random.default_rng(5505)
    means = []
    with _quiet():
        for shape in [(4,), (4,), (4,), (2, 3), (4,), (2, 3), (5,), (1, 1)]:
            means.append(float(update(tf.constant(rng.normal(1.5, 2.0, size=shape).astype("float32")))))
    return {
        "means": np.array(means, dtype=np.float32),
        "total": _value(m, "total"),
        "count": _value(m, "count"),
        "n_variables": len(variables),
    }


@hidden_check(compare={
    "means": Close(rtol=1e-5, atol=1e-5), "total": Close(rtol=1e-5, atol=1e-4), "count": Close(),
    "n_variables": Exact(),
}, measure=_measure_running_mean)
def running_mean_assign(RunningMean):
    m = RunningMean()
    _require_tf_function(m.update, "RunningMean.update")
    m.update.get_concrete_function(tf.TensorSpec(None, tf.float32))
    return {"model": SavedModel(m)}


# -- 8 and 9: answers ---------------------------------------------------------------------

def _choice(answer):
    return str(answer).strip().lower()


@hidden_check(compare=Exact())
def print_lines(answer):
    return {"answer": int(answer)}


@hidden_check(compare=Exact())
def tf_print_lines(answer):
    return {"answer": int(answer)}


@hidden_check(compare=Exact())
def callee_decoration(answer):
    return {"answer": _choice(answer)}


@hidden_check(compare=Exact())
def source_unavailable(answer):
    return {"answer": _choice(answer)}
