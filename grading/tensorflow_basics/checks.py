"""Hidden checks for tensorflow_basics: short answers are normalised and compared exactly;
each function is called on hidden inputs built here (seeded: other shapes, integer, uint8 and
float64 inputs, empty rows, ties, negative and out-of-range values) and its outputs are
compared with the reference solution's."""
import numpy as np
import tensorflow as tf

from autograder import Close, Exact, SameSet, hidden_check

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


def _is_tensor(value):
    return bool(tf.is_tensor(value)) and not isinstance(value, tf.Variable)


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


@hidden_check(compare={"float_2d": EXACT, "float_3d": EXACT, "int_3d": EXACT, "returns_tf_tensor": EXACT,
                       "originals_unchanged": EXACT})
def set_pixels(set_pixels):
    rng = np.random.default_rng(5201)
    # a float image with non-zero pixels everywhere, so that adding differs from replacing
    image2 = rng.normal(2.0, 1.0, size=(6, 9)).astype("float32")
    flat = rng.choice(6 * 9, size=7, replace=False)
    coords2 = np.stack([flat // 9, flat % 9], axis=1).astype("int64")
    values2 = rng.normal(size=7).tolist()                          # a Python list of floats
    image3 = rng.uniform(-1, 1, size=(5, 4, 3)).astype("float32")
    flat = rng.choice(5 * 4, size=4, replace=False)
    coords3 = np.stack([flat // 4, flat % 4], axis=1).astype("int32")
    values3 = rng.normal(size=(4, 3))                               # float64: to be cast
    image_int = rng.integers(1, 200, size=(4, 5, 2)).astype("int32")
    flat = rng.choice(4 * 5, size=3, replace=False)
    coords_int = np.stack([flat // 5, flat % 5], axis=1)
    values_int = rng.integers(-50, 50, size=(3, 2))                 # int64: to be cast

    copies = [image2.copy(), image3.copy(), image_int.copy()]
    out2 = set_pixels(image2, coords2, values2)
    out3 = set_pixels(tf.constant(image3), coords3, values3)
    out_int = set_pixels(image_int, coords_int, values_int)
    unchanged = [bool(np.array_equal(a, b)) for a, b in zip(copies, [image2, image3, image_int])]
    return {
        "float_2d": np.asarray(out2), "float_3d": np.asarray(out3), "int_3d": np.asarray(out_int),
        "returns_tf_tensor": [_is_tensor(o) for o in (out2, out3, out_int)],
        "originals_unchanged": unchanged,
    }


# -- 3. other data structures ------------------------------------------------------------------

@hidden_check(compare={"letters": EXACT})
def data_structures(structures):
    return {"letters": [str(letter).strip().lower() for letter in structures]}


@hidden_check(compare={"lengths": EXACT, "means": Close(rtol=1e-6, atol=1e-6), "dense": Close(rtol=1e-6, atol=1e-6),
                       "int_lengths": EXACT, "int_means": Close(rtol=1e-6, atol=1e-6),
                       "int_dense": Close(rtol=1e-6, atol=1e-6), "returns_tf_tensor": EXACT})
def ragged_summary(ragged_summary):
    rng = np.random.default_rng(5301)
    sizes = [0, 3, 1, 0, 6, 2, 0]                       # empty rows first, inside and last
    rows = [[float(v) for v in rng.normal(1.0, 4.0, size=s)] for s in sizes]
    int_rows = [[int(v) for v in rng.integers(-9, 10, size=s)] for s in (2, 0, 5, 1)]
    lengths, means, dense = ragged_summary(rows, pad_value=-2.5)
    int_lengths, int_means, int_dense = ragged_summary(int_rows)
    return {
        "lengths": np.asarray(lengths).astype("int64"), "means": np.asarray(means), "dense": np.asarray(dense),
        "int_lengths": np.asarray(int_lengths).astype("int64"), "int_means": np.asarray(int_means),
        "int_dense": np.asarray(int_dense),
        "returns_tf_tensor": [bool(tf.is_tensor(o)) for o in (lengths, means, dense, int_lengths, int_means, int_dense)],
    }


# -- 4. tensor manipulation ------------------------------------------------------------------------

NORMALIZE = Close(rtol=1e-6, atol=1e-6)


@hidden_check(compare={"gray": NORMALIZE, "color": NORMALIZE, "returns_tf_tensor": EXACT})
def normalize_images(normalize_images):
    rng = np.random.default_rng(5401)
    gray = rng.integers(0, 256, size=(3, 28, 28)).astype("uint8")
    gray[0, 0, :2] = [0, 255]                          # both ends of the range
    color = tf.constant(rng.integers(0, 256, size=(2, 5, 7, 3)).astype("uint8"))
    out_gray, out_color = normalize_images(gray), normalize_images(color)
    return {"gray": np.asarray(out_gray), "color": np.asarray(out_color),
            "returns_tf_tensor": [_is_tensor(out_gray), _is_tensor(out_color)]}


@hidden_check(compare={"one_d": EXACT, "two_d": EXACT, "returns_tf_tensor": EXACT})
def one_hot_labels(one_hot_labels):
    rng = np.random.default_rng(5501)
    labels = rng.integers(-1, 7, size=12)               # int64, with unlabelled (-1) samples
    labels[:2] = [-1, 6]
    labels_2d = rng.integers(-1, 4, size=(3, 5)).astype("int32")
    labels_2d[0, 0] = -1
    one, two = one_hot_labels(labels, 7), one_hot_labels(labels_2d, 4)
    return {"one_d": np.asarray(one), "two_d": np.asarray(two), "returns_tf_tensor": [_is_tensor(one), _is_tensor(two)]}


@hidden_check(compare={"nchw": EXACT, "nhwc": EXACT, "round_trip": EXACT})
def layout_conversion(to_channels_first, to_channels_last):
    rng = np.random.default_rng(5601)
    nhwc = rng.normal(size=(2, 5, 4, 3)).astype("float32")       # H, W and C all different
    nchw = rng.normal(size=(3, 2, 6, 5)).astype("float32")
    return {"nchw": np.asarray(to_channels_first(nhwc)), "nhwc": np.asarray(to_channels_last(nchw)),
            "round_trip": np.asarray(to_channels_last(to_channels_first(tf.constant(nhwc))))}


PAIRWISE = Close(rtol=1e-5, atol=1e-5)


@hidden_check(compare={"float32": PAIRWISE, "integers": PAIRWISE, "float64": PAIRWISE, "returns_tf_tensor": EXACT})
def pairwise_distances(pairwise_distances):
    rng = np.random.default_rng(5701)
    a = rng.normal(size=(7, 5)).astype("float32")
    b = rng.normal(size=(4, 5)).astype("float32")
    b[1] = a[3]                                          # a zero distance
    a_int = rng.integers(-20, 20, size=(5, 3))           # int64
    b_int = rng.integers(-20, 20, size=(6, 3))
    a64, b64 = rng.normal(size=(3, 8)), rng.normal(size=(2, 8))
    outs = [pairwise_distances(a, b), pairwise_distances(a_int, b_int), pairwise_distances(a64, b64)]
    return {"float32": np.asarray(outs[0]), "integers": np.asarray(outs[1]), "float64": np.asarray(outs[2]),
            "returns_tf_tensor": [_is_tensor(o) for o in outs]}


@hidden_check(compare={"scores": EXACT, "scores_int_labels": EXACT, "returns_tf_tensor": EXACT})
def true_class_scores(true_class_scores):
    rng = np.random.default_rng(5801)
    logits = rng.normal(size=(9, 6)).astype("float32")
    labels = rng.integers(0, 6, size=9)                  # int64
    labels32 = tf.constant(rng.integers(0, 6, size=9).astype("int32"))
    out, out32 = true_class_scores(logits, labels), true_class_scores(tf.constant(logits), labels32)
    return {"scores": np.asarray(out), "scores_int_labels": np.asarray(out32),
            "returns_tf_tensor": [_is_tensor(out), _is_tensor(out32)]}


@hidden_check(compare={"rows": EXACT, "indices": EXACT, "none_rows_shape": EXACT, "none_indices": EXACT,
                       "returns_tf_tensor": EXACT})
def select_confident(select_confident):
    rng = np.random.default_rng(5901)
    logits = rng.normal(size=(10, 4)) * 2
    probs = (np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)).astype("float32")
    probs[2] = [0.5, 0.25, 0.125, 0.125]                 # exactly at the threshold: kept
    probs[5] = [0.25, 0.25, 0.25, 0.25]                  # ties inside a row
    rows, indices = select_confident(probs, 0.5)
    none_rows, none_indices = select_confident(tf.constant(probs), 0.99)
    return {"rows": np.asarray(rows), "indices": np.asarray(indices).astype("int64"),
            "none_rows_shape": list(np.asarray(none_rows).shape),
            "none_indices": np.asarray(none_indices).astype("int64").reshape(-1),
            "returns_tf_tensor": [_is_tensor(rows), _is_tensor(indices)]}


STANDARDIZE = Close(rtol=1e-5, atol=1e-5)


@hidden_check(compare={"floats": STANDARDIZE, "integers": STANDARDIZE, "returns_tf_tensor": EXACT})
def standardize_and_clip(standardize_and_clip):
    rng = np.random.default_rng(6001)
    x = rng.normal(size=(40, 5)) * [1.0, 10.0, 0.1, 3.0, 1.0] + [0.0, 50.0, -2.0, 1.0, 0.0]
    x[:, 4] = 4.0                                        # a constant feature: 0, not NaN
    x[0, 0], x[1, 3] = 30.0, -25.0                       # outliers, clipped
    x_int = rng.integers(-5, 6, size=(12, 3))            # int64
    x_int[:, 1] = 7
    x_int[3, 2] = 60
    floats = standardize_and_clip(x.astype("float32"))
    ints = standardize_and_clip(x_int, limit=2.0)
    return {"floats": np.asarray(floats), "integers": np.asarray(ints),
            "returns_tf_tensor": [_is_tensor(floats), _is_tensor(ints)]}


@hidden_check(compare={"odd_even": EXACT, "square": EXACT, "returns_tf_tensor": EXACT})
def center_pad(center_pad):
    rng = np.random.default_rng(6101)
    images = rng.uniform(0.5, 1.0, size=(2, 5, 8, 3)).astype("float32")   # 6 rows and 3 columns to add
    square = tf.constant(rng.uniform(0.5, 1.0, size=(1, 4, 4, 1)).astype("float32"))
    out, out_sq = center_pad(images, 11), center_pad(square, 7)
    return {"odd_even": np.asarray(out), "square": np.asarray(out_sq),
            "returns_tf_tensor": [_is_tensor(out), _is_tensor(out_sq)]}


# -- 5. forward pass ----------------------------------------------------------------------------------

def _mlp_params(rng, as_tensors):
    params = []
    for fan_in, fan_out in ((784, 256), (256, 128), (128, 10)):
        w = np.clip(rng.normal(0.0, 0.1, size=(fan_in, fan_out)), -0.2, 0.2).astype("float32")
        b = rng.normal(0.0, 0.5, size=fan_out).astype("float32")     # non-zero biases
        params.append((tf.constant(w), tf.Variable(b)) if as_tensors else (w, b))
    return params


@hidden_check(compare={"logits_images": Close(rtol=1e-4, atol=1e-4), "logits_flat": Close(rtol=1e-4, atol=1e-4),
                       "shape": EXACT, "dtype": EXACT, "returns_tf_tensor": EXACT})
def forward_pass(forward):
    rng = np.random.default_rng(6201)
    pixels = rng.integers(0, 256, size=(6, 28, 28))
    images = (pixels / 127.5 - 1.0).astype("float32")
    flat = (rng.integers(0, 256, size=(3, 784)) / 127.5 - 1.0).astype("float32")
    out_images = forward(tf.constant(images), _mlp_params(rng, as_tensors=True))
    out_flat = forward(flat, _mlp_params(rng, as_tensors=False))
    return {"logits_images": np.asarray(out_images), "logits_flat": np.asarray(out_flat),
            "shape": list(np.asarray(out_images).shape), "dtype": str(np.asarray(out_images).dtype),
            "returns_tf_tensor": [_is_tensor(out_images), _is_tensor(out_flat)]}
