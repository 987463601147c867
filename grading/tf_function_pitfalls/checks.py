"""Hidden checks for tf_function_pitfalls: every probe runs the student's tf.function code and
returns observations (values, tracing counts, variable counts, op types in the traced graph)."""
import math

import numpy as np
import tensorflow as tf

from autograder import AtMost, Close, Exact, hidden_check

_LOOP_OPS = {"While", "StatelessWhile"}


def _op_types(concrete):
    """Op types of a concrete function's graph, including nested functions (loop bodies, callees)."""
    graph_def = concrete.graph.as_graph_def()
    types = {node.op for node in graph_def.node}
    for function in graph_def.library.function:
        types |= {node.op for node in function.node_def}
    return types


def _n_ops(concrete):
    return len(concrete.graph.get_operations())


def _is_random(op_type):
    return any(key in op_type for key in ("Random", "Uniform", "Normal", "Multinomial"))


def _tracing_count(fn):
    getter = getattr(fn, "experimental_get_tracing_count", None)
    return int(getter()) if getter is not None else 10**6


def _value(v):
    """A variable's value, or NaN when the attribute is no longer a tf.Variable."""
    return float(v.numpy()) if isinstance(v, tf.Variable) else math.nan


@hidden_check(compare={
    "shape": Exact(), "dtype": Exact(), "calls_differ": Exact(), "in_range": Exact(),
    "mean_ok": Exact(), "std_ok": Exact(), "small_input_shape": Exact(), "random_op_in_graph": Exact(),
})
def jitter_fresh_noise(add_jitter):
    rng = np.random.default_rng(5101)
    x = rng.normal(0.0, 3.0, size=(100, 80)).astype("float32")
    xt = tf.constant(x)
    y1 = np.asarray(add_jitter(xt))
    y2 = np.asarray(add_jitter(xt))
    n1 = y1.astype(np.float64) - x
    n2 = y2.astype(np.float64) - x
    noise = np.concatenate([n1.ravel(), n2.ravel()])
    small = add_jitter(tf.constant(rng.normal(size=(7,)).astype("float32")))
    concrete = add_jitter.get_concrete_function(xt) if hasattr(add_jitter, "get_concrete_function") else None
    random_op = concrete is not None and any(_is_random(t) for t in _op_types(concrete))
    return {
        "shape": list(y1.shape),
        "dtype": str(y1.dtype),
        "calls_differ": bool(np.mean(np.abs(n1 - n2) > 1e-6) > 0.9),
        "in_range": bool(np.all(noise >= -0.1 - 1e-5) and np.all(noise <= 0.1 + 1e-5)),
        "mean_ok": bool(abs(noise.mean()) < 0.003),
        "std_ok": bool(abs(noise.std() - 0.2 / math.sqrt(12.0)) < 0.003),
        "small_input_shape": list(np.asarray(small).shape),
        "random_op_in_graph": bool(random_op),
    }


@hidden_check(compare={
    "outputs": Close(rtol=1e-5, atol=1e-5), "calls": Exact(), "second_instance_calls": Exact(),
    "calls_is_variable": Exact(),
})
def counter_counts_calls(SquareCounter):
    rng = np.random.default_rng(5202)
    shapes = [(3,), (3,), (2, 2), (3,), (2, 2), (3,), (3,), (2, 2)]
    m = SquareCounter()
    outputs = [float(m(tf.constant(rng.normal(size=s).astype("float32")))) for s in shapes]
    other = SquareCounter()
    for _ in range(2):
        other(tf.constant(rng.normal(size=(3,)).astype("float32")))
    count = lambda c: int(c.numpy()) if hasattr(c, "numpy") else int(c)
    return {
        "outputs": np.array(outputs, dtype=np.float32),
        "calls": count(m.calls),
        "second_instance_calls": count(other.calls),
        "calls_is_variable": isinstance(m.calls, tf.Variable),
    }


@hidden_check(compare={
    "values": Exact(), "dtype": Exact(), "tracing_count": AtMost(1), "has_loop_op": Exact(),
    "op_count_independent_of_n": Exact(),
})
def range_loop_in_graph(sum_of_squares):
    calls = [0, 1, 7, 50, 1000, 2, tf.constant(13), tf.constant(0), 7, 333]
    results = [sum_of_squares(n) for n in calls]
    tracing = _tracing_count(sum_of_squares)
    small, large = sum_of_squares.get_concrete_function(5), sum_of_squares.get_concrete_function(60)
    return {
        "values": np.array([int(r) for r in results], dtype=np.int64),
        "dtype": results[0].dtype.name,
        "tracing_count": tracing,
        "has_loop_op": bool(_op_types(large) & _LOOP_OPS),
        "op_count_independent_of_n": _n_ops(small) == _n_ops(large),
    }


@hidden_check(compare={
    "first_output": Close(rtol=1e-6, atol=1e-6), "outputs": Close(rtol=1e-5, atol=1e-5),
    "n_variables_after_first_call": Exact(), "n_variables_after": Exact(),
    "w_b_are_variables": Exact(),
})
def affine_variables_once(Affine):
    rng = np.random.default_rng(5303)
    m = Affine(5)
    x1 = rng.normal(size=(4, 5)).astype("float32")
    first = m(tf.constant(x1))
    n_first = len(m.variables)
    m.w.assign(rng.normal(1.0, 0.5, size=(5,)).astype("float32"))
    m.b.assign(rng.normal(0.0, 0.5, size=(5,)).astype("float32"))
    x2 = rng.normal(size=(7, 5)).astype("float32")
    x3 = rng.normal(size=(2, 5)).astype("float32")
    y2, y3 = m(tf.constant(x2)), m(tf.constant(x3))
    return {
        "first_output": first,
        "outputs": np.concatenate([np.asarray(y2), np.asarray(y3)], axis=0),
        "n_variables_after_first_call": n_first,
        "n_variables_after": len(m.variables),
        "w_b_are_variables": isinstance(m.w, tf.Variable) and isinstance(m.b, tf.Variable),
    }


@hidden_check(compare={"values": Close(rtol=1e-4, atol=1e-5), "tracing_count": AtMost(3)})
def standardize_no_retrace(standardize_columns):
    rng = np.random.default_rng(5404)
    shapes = [(1, 3), (2, 3), (5, 3), (17, 3), (4, 6), (33, 2), (8, 1), (3, 4)]
    parts = []
    for s in shapes:
        x = (rng.normal(size=s) * rng.uniform(0.5, 4.0, size=(1, s[1])) + rng.normal(size=(1, s[1]))).astype("float32")
        parts.append(np.asarray(standardize_columns(tf.constant(x))).ravel())
    return {"values": np.concatenate(parts), "tracing_count": _tracing_count(standardize_columns)}


_COLLATZ_NS = [1, 2, 3, 6, 7, 27, 97, 871, 1000]


@hidden_check(compare={"values": Exact(), "lengths": Exact(), "dtype": Exact()})
def collatz_values(collatz):
    seqs = [collatz(n) for n in _COLLATZ_NS]
    return {
        "values": np.concatenate([np.asarray(s).astype(np.int64).ravel() for s in seqs]),
        "lengths": np.array([int(np.asarray(s).size) for s in seqs], dtype=np.int64),
        "dtype": seqs[0].dtype.name,
    }


@hidden_check(compare={"tracing_count": AtMost(1), "has_loop_op": Exact(), "lengths": Exact()})
def collatz_single_graph(collatz):
    calls = [5, 12, tf.constant(19), 1, tf.constant(64), 41]
    lengths = [int(np.asarray(collatz(n)).size) for n in calls]
    tracing = _tracing_count(collatz)
    concrete = collatz.get_concrete_function(27)
    return {
        "tracing_count": tracing,
        "has_loop_op": bool(_op_types(concrete) & _LOOP_OPS),
        "lengths": np.array(lengths, dtype=np.int64),
    }


@hidden_check(compare={
    "means": Close(rtol=1e-5, atol=1e-5), "total": Close(rtol=1e-5, atol=1e-4), "count": Close(),
    "attributes_are_variables": Exact(), "n_variables": Exact(),
})
def running_mean_assign(RunningMean):
    rng = np.random.default_rng(5505)
    m = RunningMean()
    shapes = [(4,), (4,), (4,), (2, 3), (4,), (2, 3)]
    means = [float(m.update(tf.constant(rng.normal(1.5, 2.0, size=s).astype("float32")))) for s in shapes]
    return {
        "means": np.array(means, dtype=np.float32),
        "total": _value(m.total),
        "count": _value(m.count),
        "attributes_are_variables": isinstance(m.total, tf.Variable) and isinstance(m.count, tf.Variable),
        "n_variables": len(m.variables),
    }


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
