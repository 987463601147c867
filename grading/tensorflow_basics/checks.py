"""Hidden checks for tensorflow_basics: short answers are normalised and compared exactly.

The functions of sections 2-5 are judged from a TensorFlow graph, not from the student's process:
the probe only traces each function with `tf.function` on symbolic inputs of fixed shapes and
dtypes (`tf.TensorSpec`) and exports the traced graphs as a SavedModel. `measure` then builds the
hidden inputs (seeded: other shapes, integer, uint8 and float64 inputs, empty rows, ties, negative
and out-of-range values, nearby points with large coordinates), runs the exported graphs on them
in a process that ran no student code (the batch grader's verifier) and returns their outputs,
which are compared with the reference solution's.

Evidence: the outputs of the exported graph on inputs chosen in `measure`. That graph can only
hold TensorFlow ops (NumPy calls, `.numpy()` and Python conversions of values fail on symbolic
tensors while tracing; Python callbacks such as tf.py_function are refused when the export is
loaded), so "TensorFlow operations only" and "returns a float32 tensor" are measured, not
claimed: the outputs' dtypes are the graph's.
"""
import numpy as np
import tensorflow as tf

from autograder import Close, Exact, SameSet, SavedModel, hidden_check, load_saved_model

EXACT = Exact()


def _dtype_name(value):
    """'int32' from "int32", " tf.int32 ", tf.int32 or np.dtype('int32')."""
    name = getattr(value, "name", value)
    name = str(name).strip().lower()
    for prefix in ("tf.", "np.", "numpy."):
        if name.startswith(prefix):
            name = name[len(prefix):]
    return name


def _letters(answer):
    return sorted(str(letter).strip().lower() for letter in answer)


class NotTraceable(Exception):
    """The student's function could not be traced into a TensorFlow graph."""


def _spec(shape, dtype):
    return tf.TensorSpec(shape, tf.as_dtype(dtype))


def _graph(student_function):
    """The student's function as a tf.function (AutoGraph converts its Python control flow)."""
    return tf.function(student_function)


def _export(**entries):
    """A SavedModel of a tf.Module with one tf.function per entry `name=(function, specs)`,
    traced once for `specs` (one spec, or a nested structure of specs, per argument). `function`
    is a wrapper defined here that calls the student's functions through `_graph`: AutoGraph
    leaves the wrapper alone (this module is not importable, so it could not read its source and
    would warn on stderr) and converts the student's code. Tracing runs the student's code on
    symbolic tensors: NumPy calls and `.numpy()` fail there."""
    module = tf.Module()
    for name, (function, specs) in entries.items():
        traced = tf.function(function, autograph=False)
        try:
            traced.get_concrete_function(*specs)
        except Exception as exc:  # noqa: BLE001 - any failure to trace is the student's code
            lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
            detail = lines[-1] if lines else ""
            for line in lines:  # the line naming the exception, when TF's message has one
                if line.split(":")[0].endswith(("Error", "Exception")):
                    detail = line
            raise NotTraceable(
                f"your function could not run as a TensorFlow graph on symbolic tensors (the task asks for "
                f"TensorFlow operations only: no NumPy, no .numpy(), no tf.Variable created inside): "
                f"{type(exc).__name__}: {detail[:200]}") from None
        setattr(module, name, traced)
    return {"model": SavedModel(module)}


def _loaded(exported):
    return load_saved_model(exported["model"])


def _np(value, dtype=None):
    array = np.asarray(value.numpy() if hasattr(value, "numpy") else value)
    return array if dtype is None else array.astype(dtype)


# -- 1. dtypes ---------------------------------------------------------------------------

@hidden_check(compare={"dtypes": EXACT})
def dtype_names(dtype_range, dtype_from_numpy, dtype_float_list, dtype_float_numpy):
    return {"dtypes": [_dtype_name(d) for d in (dtype_range, dtype_from_numpy, dtype_float_list, dtype_float_numpy)]}


@hidden_check(compare={"value": Close(rtol=1e-9, atol=0), "dtype": EXACT, "numpy_value": Close(rtol=1e-9, atol=0)})
def true_division(div_value, div_dtype, numpy_div_value):
    return {"value": float(div_value), "dtype": _dtype_name(div_dtype), "numpy_value": float(numpy_div_value)}


@hidden_check(compare={"choices": SameSet()})
def mixed_dtypes(raises):
    return {"choices": _letters(raises)}


# -- 2. immutability -----------------------------------------------------------------------

@hidden_check(compare={"choices": SameSet()})
def immutability(runs):
    return {"choices": _letters(runs)}


_SET_PIXELS = {"float_2d": (((6, 9), "float32"), ((7, 2), "int64"), ((7,), "float64")),
               "float_3d": (((5, 4, 3), "float32"), ((4, 2), "int32"), ((4, 3), "float64")),
               "int_3d": (((4, 5, 2), "int32"), ((3, 2), "int64"), ((3, 2), "int64"))}


def _measure_set_pixels(exported):
    model, rng, out = _loaded(exported), np.random.default_rng(5201), {}
    for name, ((shape, dtype), (coord_shape, coord_dtype), (value_shape, value_dtype)) in _SET_PIXELS.items():
        if dtype.startswith("int"):
            image = rng.integers(1, 200, size=shape).astype(dtype)
            values = rng.integers(-50, 50, size=value_shape).astype(value_dtype)
        else:  # non-zero pixels everywhere, so that adding differs from replacing
            image = rng.normal(2.0, 1.0, size=shape).astype(dtype)
            values = rng.normal(size=value_shape).astype(value_dtype)
        flat = rng.choice(shape[0] * shape[1], size=coord_shape[0], replace=False)
        coords = np.stack([flat // shape[1], flat % shape[1]], axis=1).astype(coord_dtype)
        out[name] = _np(getattr(model, name)(tf.constant(image), tf.constant(coords), tf.constant(values)))
    return out


@hidden_check(compare={"float_2d": EXACT, "float_3d": EXACT, "int_3d": EXACT}, measure=_measure_set_pixels)
def set_pixels(set_pixels):
    graph = _graph(set_pixels)
    return _export(**{name: (graph, [_spec(*arg) for arg in args]) for name, args in _SET_PIXELS.items()})


# -- 3. other data structures ------------------------------------------------------------------

@hidden_check(compare={"letters": EXACT})
def data_structures(structures):
    return {"letters": [str(letter).strip().lower() for letter in structures]}


_RAGGED = {"floats": ([0, 3, 1, 0, 6, 2, 0], "float32", -2.5),   # empty rows first, inside and last
           "ints": ([2, 0, 5, 1], "int32", None)}               # the default pad_value


def _ragged_spec(n_rows, dtype):
    return tf.RaggedTensorSpec([n_rows, None], tf.as_dtype(dtype), ragged_rank=1, row_splits_dtype=tf.int64)


def _measure_ragged(exported):
    model, rng, out = _loaded(exported), np.random.default_rng(5301), {}
    for name, (sizes, dtype, _) in _RAGGED.items():
        if dtype == "float32":
            rows = [[float(v) for v in rng.normal(1.0, 4.0, size=n)] for n in sizes]
        else:
            rows = [[int(v) for v in rng.integers(-9, 10, size=n)] for n in sizes]
        lengths, means, dense = getattr(model, name)(tf.ragged.constant(rows, dtype=tf.as_dtype(dtype)))
        out.update({f"{name}_lengths": _np(lengths, "int64"), f"{name}_means": _np(means), f"{name}_dense": _np(dense)})
    return out


RAGGED = Close(rtol=1e-6, atol=1e-6)


@hidden_check(compare={"floats_lengths": EXACT, "floats_means": RAGGED, "floats_dense": RAGGED,
                       "ints_lengths": EXACT, "ints_means": RAGGED, "ints_dense": RAGGED}, measure=_measure_ragged)
def ragged_summary(ragged_summary):
    graph = _graph(ragged_summary)

    def bind(pad):
        return (lambda rows: graph(rows)) if pad is None else (lambda rows: graph(rows, pad_value=pad))
    return _export(**{name: (bind(pad), [_ragged_spec(len(sizes), dtype)]) for name, (sizes, dtype, pad) in _RAGGED.items()})


# -- 4. tensor manipulation ------------------------------------------------------------------------

NORMALIZE = Close(rtol=1e-6, atol=1e-6)
_IMAGES = {"gray": (3, 28, 28), "color": (2, 5, 7, 3)}


def _measure_normalize(exported):
    model, rng, out = _loaded(exported), np.random.default_rng(5401), {}
    for name, shape in _IMAGES.items():
        pixels = rng.integers(0, 256, size=shape).astype("uint8")
        pixels.reshape(-1)[:2] = [0, 255]                      # both ends of the range
        out[name] = _np(getattr(model, name)(tf.constant(pixels)))
    return out


@hidden_check(compare={"gray": NORMALIZE, "color": NORMALIZE}, measure=_measure_normalize)
def normalize_images(normalize_images):
    graph = _graph(normalize_images)
    return _export(**{name: (graph, [_spec(shape, "uint8")]) for name, shape in _IMAGES.items()})


_ONE_HOT = {"one_d": ((12,), "int64", 7), "two_d": ((3, 5), "int32", 4)}


def _measure_one_hot(exported):
    model, rng, out = _loaded(exported), np.random.default_rng(5501), {}
    for name, (shape, dtype, depth) in _ONE_HOT.items():
        labels = rng.integers(-1, depth, size=shape).astype(dtype)   # -1: unlabelled samples
        labels.reshape(-1)[:2] = [-1, depth - 1]
        out[name] = _np(getattr(model, name)(tf.constant(labels)))
    return out


@hidden_check(compare={"one_d": EXACT, "two_d": EXACT}, measure=_measure_one_hot)
def one_hot_labels(one_hot_labels):
    graph = _graph(one_hot_labels)

    def bind(depth):
        return lambda labels: graph(labels, depth)
    return _export(**{name: (bind(depth), [_spec(shape, dtype)]) for name, (shape, dtype, depth) in _ONE_HOT.items()})


_NHWC, _NCHW = (2, 5, 4, 3), (3, 2, 6, 5)                   # H, W and C all different


def _measure_layout(exported):
    model, rng = _loaded(exported), np.random.default_rng(5601)
    nhwc = tf.constant(rng.normal(size=_NHWC).astype("float32"))
    nchw = tf.constant(rng.normal(size=_NCHW).astype("float32"))
    return {"nchw": _np(model.first(nhwc)), "nhwc": _np(model.last(nchw)), "round_trip": _np(model.round_trip(nhwc))}


@hidden_check(compare={"nchw": EXACT, "nhwc": EXACT, "round_trip": EXACT}, measure=_measure_layout)
def layout_conversion(to_channels_first, to_channels_last):
    first, last = _graph(to_channels_first), _graph(to_channels_last)
    return _export(first=(first, [_spec(_NHWC, "float32")]), last=(last, [_spec(_NCHW, "float32")]),
                   round_trip=(lambda x: last(first(x)), [_spec(_NHWC, "float32")]))


PAIRWISE = Close(rtol=1e-5, atol=1e-5)
_PAIRWISE = {"float32": (((9, 5), "float32"), ((6, 5), "float32")),
             "near_large": (((6, 4), "float32"), ((7, 4), "float32")),
             "integers": (((5, 3), "int64"), ((6, 3), "int64")),
             "float64": (((3, 8), "float64"), ((2, 8), "float64"))}


def _pairwise_inputs():
    """Hidden inputs of pairwise_distances. "near_large": points with coordinates around 1000 and
    their copies moved by at most 0.02 per coordinate (and two exact copies). Their true distances
    are 0 or ~0.01-0.04, while |a|^2 + |b|^2 - 2ab computes them from terms of ~4e6 whose float32
    rounding (~0.25) is a thousand times larger: the expansion is off by ~0.02-0.7 (or NaN) on
    every such pair, whatever the order of its sums."""
    rng = np.random.default_rng(5701)
    a = rng.normal(size=(9, 5)).astype("float32")
    b = rng.normal(size=(6, 5)).astype("float32")
    b[1] = a[3]                                               # a zero distance
    far = np.round(rng.uniform(600.0, 1500.0, size=(6, 4)), 3).astype("float32")
    moved = far[[0, 1, 2, 3, 4, 5, 2]] + rng.uniform(-0.02, 0.02, size=(7, 4)).astype("float32")
    moved[[1, 4]] = far[[1, 4]]                               # exact copies: distance 0
    a_int = rng.integers(-20, 20, size=(5, 3))
    b_int = rng.integers(-20, 20, size=(6, 3))
    b_int[2] = a_int[0]
    return {"float32": (a, b), "near_large": (far, moved.astype("float32")), "integers": (a_int, b_int),
            "float64": (rng.normal(size=(3, 8)), rng.normal(size=(2, 8)))}


def _measure_pairwise(exported):
    model = _loaded(exported)
    return {name: _np(getattr(model, name)(tf.constant(a), tf.constant(b))) for name, (a, b) in _pairwise_inputs().items()}


@hidden_check(compare={name: PAIRWISE for name in _PAIRWISE}, measure=_measure_pairwise)
def pairwise_distances(pairwise_distances):
    graph = _graph(pairwise_distances)
    return _export(**{name: (graph, [_spec(*a), _spec(*b)]) for name, (a, b) in _PAIRWISE.items()})


_GATHER = {"scores": ((9, 6), "int64"), "scores_int_labels": ((9, 6), "int32")}


def _measure_gather(exported):
    model, rng, out = _loaded(exported), np.random.default_rng(5801), {}
    for name, ((n, k), label_dtype) in _GATHER.items():
        logits = rng.normal(size=(n, k)).astype("float32")
        labels = rng.integers(0, k, size=n).astype(label_dtype)
        out[name] = _np(getattr(model, name)(tf.constant(logits), tf.constant(labels)))
    return out


@hidden_check(compare={"scores": EXACT, "scores_int_labels": EXACT}, measure=_measure_gather)
def true_class_scores(true_class_scores):
    graph = _graph(true_class_scores)
    return _export(**{name: (graph, [_spec(shape, "float32"), _spec(shape[:1], dtype)])
                      for name, (shape, dtype) in _GATHER.items()})


_PROBS = (10, 4)


def _measure_confident(exported):
    model, rng = _loaded(exported), np.random.default_rng(5901)
    logits = rng.normal(size=_PROBS) * 2
    probs = (np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)).astype("float32")
    probs[2] = [0.5, 0.25, 0.125, 0.125]                 # exactly at the threshold: kept
    probs[5] = [0.25, 0.25, 0.25, 0.25]                  # ties inside a row
    probs[7] = [0.05, 0.05, 0.1, 0.8]
    rows, indices = model.half(tf.constant(probs))
    none_rows, none_indices = model.none(tf.constant(probs))
    return {"rows": _np(rows), "indices": _np(indices, "int64"), "none_rows_shape": list(_np(none_rows).shape),
            "none_indices": _np(none_indices, "int64").reshape(-1)}


@hidden_check(compare={"rows": EXACT, "indices": EXACT, "none_rows_shape": EXACT, "none_indices": EXACT},
              measure=_measure_confident)
def select_confident(select_confident):
    graph = _graph(select_confident)
    return _export(half=(lambda probs: graph(probs, 0.5), [_spec(_PROBS, "float32")]),
                   none=(lambda probs: graph(probs, 0.99), [_spec(_PROBS, "float32")]))


STANDARDIZE = Close(rtol=1e-5, atol=1e-5)


def _measure_standardize(exported):
    model, rng = _loaded(exported), np.random.default_rng(6001)
    x = rng.normal(size=(40, 5)) * [1.0, 10.0, 0.1, 3.0, 1.0] + [0.0, 50.0, -2.0, 1.0, 0.0]
    x[:, 4] = 4.0                                        # a constant feature: 0, not NaN
    x[0, 0], x[1, 3] = 30.0, -25.0                       # outliers, clipped
    x_int = rng.integers(-5, 6, size=(12, 3))            # int64
    x_int[:, 1] = 7
    x_int[3, 2] = 60
    return {"floats": _np(model.floats(tf.constant(x.astype("float32")))), "integers": _np(model.ints(tf.constant(x_int)))}


@hidden_check(compare={"floats": STANDARDIZE, "integers": STANDARDIZE}, measure=_measure_standardize)
def standardize_and_clip(standardize_and_clip):
    graph = _graph(standardize_and_clip)
    return _export(floats=(lambda x: graph(x), [_spec((40, 5), "float32")]),   # the default limit
                   ints=(lambda x: graph(x, limit=2.0), [_spec((12, 3), "int64")]))


_PAD = {"odd_even": ((2, 5, 8, 3), 11), "square": ((1, 4, 4, 1), 7)}    # 6 rows and 3 columns to add; 3 and 3


def _measure_pad(exported):
    model, rng = _loaded(exported), np.random.default_rng(6101)
    return {name: _np(getattr(model, name)(tf.constant(rng.uniform(0.5, 1.0, size=shape).astype("float32"))))
            for name, (shape, _) in _PAD.items()}


@hidden_check(compare={"odd_even": EXACT, "square": EXACT}, measure=_measure_pad)
def center_pad(center_pad):
    graph = _graph(center_pad)

    def bind(size):
        return lambda images: graph(images, size)
    return _export(**{name: (bind(size), [_spec(shape, "float32")]) for name, (shape, size) in _PAD.items()})


# -- 5. forward pass ----------------------------------------------------------------------------------

_LAYERS = ((784, 256), (256, 128), (128, 10))
_BATCHES = {"logits_images": (6, 28, 28), "logits_flat": (3, 784)}


def _mlp_params(rng):
    params = []
    for fan_in, fan_out in _LAYERS:
        w = np.clip(rng.normal(0.0, 0.1, size=(fan_in, fan_out)), -0.2, 0.2).astype("float32")
        b = rng.normal(0.0, 0.5, size=fan_out).astype("float32")     # non-zero biases
        params.append((tf.constant(w), tf.constant(b)))
    return params


def _measure_forward(exported):
    model, rng, out = _loaded(exported), np.random.default_rng(6201), {}
    for name, shape in _BATCHES.items():
        x = (rng.integers(0, 256, size=shape) / 127.5 - 1.0).astype("float32")
        out[name] = _np(getattr(model, name)(tf.constant(x), _mlp_params(rng)))
    return out


FORWARD = Close(rtol=1e-4, atol=1e-4)


@hidden_check(compare={"logits_images": FORWARD, "logits_flat": FORWARD}, measure=_measure_forward)
def forward_pass(forward):
    params = [(_spec(shape, "float32"), _spec(shape[1:], "float32")) for shape in _LAYERS]
    graph = _graph(forward)
    return _export(**{name: (graph, [_spec(shape, "float32"), params]) for name, shape in _BATCHES.items()})
