"""Hidden checks for normalisation_cnn: each probe builds its own seeded inputs (channels with
different offsets and scales, one almost constant so that epsilon matters), calls the student's
code and returns what it computed.

Evidence: every judged output is the student's code evaluated on hidden inputs, or a value the
student was asked for. The batch-normalisation state is read only from real NumPy arrays
(`type(v) is np.ndarray`, copied with the array's own methods), so an object that computes what
it reports when it is read cannot stand in for it. The residual block's shapes and structure are
measured from an exported SavedModel of the built blocks, in a process that ran no student code:
its variables (names, shapes, trainable or not) and its outputs on hidden inputs with weights
set there."""
import hashlib
import operator
import os
from pathlib import Path

import numpy as np

from autograder import Close, Exact, SavedModel, hidden_check, load_saved_model

OUTPUTS = Close(rtol=1e-4, atol=1e-4)
STATS = Close(rtol=1e-5, atol=1e-6)


def _f64(value):
    """An output of the student's code as a float64 array (a copy)."""
    return np.array(value, dtype=np.float64, copy=True)


def _state(layer, name):
    """A state array of the student's BatchNorm, as it is now: it must be a NumPy array (no
    subclass, no object that converts itself when read); a float64 copy."""
    value = getattr(layer, name)
    if type(value) is not np.ndarray:
        raise TypeError(f"BatchNorm.{name} must be a NumPy array (np.ndarray), not {type(value).__name__}")
    return value.astype(np.float64)


def _channels(rng, shape, means, scales):
    """float32 input whose channels (last axis) have the given means and scales."""
    return (rng.normal(size=shape) * np.asarray(scales) + np.asarray(means)).astype("float32")


# -- 1. batch normalisation -----------------------------------------------------------------

@hidden_check(compare={"output_4d": OUTPUTS, "output_2d": OUTPUTS, "output_3d": OUTPUTS})
def bn_training_output(BatchNorm):
    rng = np.random.default_rng(7101)
    x4 = _channels(rng, (6, 5, 4, 3), means=[4.0, -2.0, 0.25], scales=[3.0, 0.5, 0.01])   # channel 2: epsilon matters
    bn = BatchNorm(3)
    bn.gamma = rng.uniform(0.5, 2.0, size=3)
    bn.beta = rng.normal(size=3)
    out4 = _f64(bn(x4, training=True))
    x2 = _channels(rng, (16, 5), means=rng.uniform(-3, 3, size=5), scales=[1.0, 2.0, 0.1, 5.0, 0.02])
    out2 = _f64(BatchNorm(5, epsilon=0.5)(x2, training=True))
    x3 = _channels(rng, (4, 7, 2), means=[1.0, -6.0], scales=[0.3, 4.0])
    bn3 = BatchNorm(2, momentum=0.5)
    bn3.gamma = np.array([1.5, 0.7])
    bn3.beta = np.array([-1.0, 0.25])
    out3 = _f64(bn3(x3, training=True))
    return {"output_4d": out4, "output_2d": out2, "output_3d": out3}


@hidden_check(compare={"moving_mean": STATS, "moving_variance": STATS,
                       "mean_momentum_0_9": STATS, "variance_momentum_0_9": STATS})
def bn_moving_statistics(BatchNorm):
    rng = np.random.default_rng(7201)
    bn = BatchNorm(4)
    means, variances = [], []
    for step, batch in enumerate([8, 5, 16, 3, 10]):
        x = _channels(rng, (batch, 3, 2, 4), means=rng.uniform(-5, 5, size=4) + step,
                      scales=rng.uniform(0.2, 4.0, size=4))
        bn(x, training=True)
        means.append(_state(bn, "moving_mean"))
        variances.append(_state(bn, "moving_variance"))
    fast = BatchNorm(3, momentum=0.9)
    means9, variances9 = [], []
    for batch in [10, 4, 7]:
        fast(_channels(rng, (batch, 3), means=rng.uniform(-2, 8, size=3), scales=[0.5, 1.0, 3.0]), training=True)
        means9.append(_state(fast, "moving_mean"))
        variances9.append(_state(fast, "moving_variance"))
    return {"moving_mean": np.stack(means), "moving_variance": np.stack(variances),
            "mean_momentum_0_9": np.stack(means9), "variance_momentum_0_9": np.stack(variances9)}


@hidden_check(compare={"fresh": OUTPUTS, "trained_4d": OUTPUTS, "trained_2d": OUTPUTS, "trained_4d_again": OUTPUTS,
                       "moving_after_inference": STATS})
def bn_inference_output(BatchNorm):
    """Inference outputs of a fresh layer and of one trained for a few steps; the same 4-D input
    again after a 2-D one (inference must not change the layer), and the moving statistics read
    after the inference calls (still those the training left)."""
    rng = np.random.default_rng(7301)
    fresh = BatchNorm(3, epsilon=0.01)
    fresh.gamma = np.array([2.0, 0.5, 1.0])
    fresh.beta = np.array([0.0, 1.0, -1.0])
    out_fresh = _f64(fresh(_channels(rng, (5, 3), means=[1.0, -1.0, 3.0], scales=[1.0, 2.0, 0.5]), training=False))

    bn = BatchNorm(3, momentum=0.8)
    bn.gamma = rng.uniform(0.5, 2.0, size=3)
    bn.beta = rng.normal(size=3)
    for batch in [6, 9, 4, 12]:
        bn(_channels(rng, (batch, 4, 4, 3), means=[3.0, -1.0, 0.5], scales=[2.0, 0.5, 1.0]), training=True)
    x4 = _channels(rng, (3, 4, 4, 3), means=[5.0, 0.0, -2.0], scales=[1.0, 3.0, 0.2])
    out4 = _f64(bn(x4.copy(), training=False))
    out2 = _f64(bn(_channels(rng, (7, 3), means=[2.0, 2.0, 2.0], scales=[1.0, 1.0, 1.0]), training=False))
    again = _f64(bn(x4.copy(), training=False))
    moving = np.stack([_state(bn, "moving_mean"), _state(bn, "moving_variance")])
    return {"fresh": out_fresh, "trained_4d": out4, "trained_2d": out2, "trained_4d_again": again,
            "moving_after_inference": moving}


@hidden_check(compare={"mean_after_100": Close(rtol=1e-4, atol=0), "steps_to_99_percent": Exact()})
def bn_lag(mean_after_100, steps_to_99_percent):
    """A number and an integer asked as values (Python or NumPy; an integer-valued float is not an int)."""
    return {"mean_after_100": float(mean_after_100), "steps_to_99_percent": operator.index(steps_to_99_percent)}


# -- 2. normalisation axes ----------------------------------------------------------------------

def _axes(value):
    """Axes of a 4-D tensor as sorted non-negative text ("0,1,2"): tuple, list, set or one int."""
    if isinstance(value, (set, frozenset, tuple, list, range)):
        items = list(value)
    else:
        items = np.atleast_1d(np.asarray(value)).ravel().tolist()
    return ",".join(str(a) for a in sorted({int(a) % 4 for a in items}))


@hidden_check(compare={"axes": Exact()})
def norm_axes(bn_axes, ln_axes, in_axes, keras_ln_axes):
    return {"axes": [_axes(a) for a in (bn_axes, ln_axes, in_axes, keras_ln_axes)]}


@hidden_check(compare={"outputs_4d": OUTPUTS, "other_shape": OUTPUTS})
def group_norm_output(group_norm):
    rng = np.random.default_rng(7501)
    x = _channels(rng, (2, 4, 4, 6), means=rng.uniform(-4, 4, size=6), scales=rng.uniform(0.1, 3.0, size=6))
    outputs = []
    for groups in (1, 2, 3, 6):
        gamma, beta = rng.uniform(0.5, 2.0, size=6), rng.normal(size=6)
        outputs.append(_f64(group_norm(x, groups, gamma, beta)))
    y = _channels(rng, (3, 2, 5, 8), means=[0, 0, 5, 5, -3, -3, 1, 1], scales=[1, 2, 0.5, 0.5, 3, 1, 0.1, 0.2])
    other = _f64(group_norm(y, 4, rng.uniform(0.5, 2.0, size=8), rng.normal(size=8), epsilon=0.1))
    return {"outputs_4d": np.stack(outputs), "other_shape": other}


# -- 3. shapes and parameter counts -----------------------------------------------------------

_SIZE_CASES = [(n, k, s) for n in range(1, 13) for k in range(1, 6) for s in range(1, 5)] + [
    (224, 7, 2), (227, 11, 4), (33, 2, 2), (33, 3, 2), (100, 100, 1), (64, 4, 3), (17, 8, 5), (1, 1, 3)]


@hidden_check(compare={"valid": Exact(), "same": Exact()})
def out_size(out_size):
    return {padding: np.array([float(out_size(n, k, s, padding)) for n, k, s in _SIZE_CASES])
            for padding in ("valid", "same")}


@hidden_check(compare={"layers": Exact(), "total": Exact()})
def lenet5_params(layer_params, total):
    return {"layers": np.array([int(v) for v in layer_params], dtype=np.int64),
            "total": np.array(int(total), dtype=np.int64)}


# -- 4. residual block --------------------------------------------------------------------------

# (input shape, filters, stride): identity, stride only, stride and channels, channels only (up and
# down), stride 3 on an odd size, identity with an odd channel count
_BLOCKS = [((2, 8, 8, 16), 16, 1), ((1, 9, 9, 16), 16, 2), ((2, 9, 9, 8), 16, 2), ((2, 6, 6, 4), 8, 1),
           ((1, 5, 5, 8), 4, 1), ((1, 10, 10, 3), 6, 3), ((1, 7, 7, 5), 5, 1)]
_SUBLAYERS = ("conv1", "bn1", "conv2", "bn2", "shortcut_conv", "shortcut_bn")


def _built(BasicBlock, shape, filters, stride):
    block = BasicBlock(filters, stride=stride)
    out = block(np.zeros(shape, dtype="float32"))
    return block, out


def _set_weights(block, seed):
    """Seeded values for every sub-layer, each from its own generator (so that one missing
    sub-layer does not shift the others). Batch-normalisation weights come in Keras's order
    gamma, beta, moving_mean, moving_variance; anything else is a kernel (or a bias)."""
    for index, name in enumerate(_SUBLAYERS):
        layer = getattr(block, name, None)
        if layer is None:
            continue
        rng = np.random.default_rng(seed + index)
        current = layer.get_weights()
        if "BatchNormalization" in type(layer).__name__:
            c = current[0].shape
            values = [rng.uniform(0.5, 1.5, c), rng.normal(0, 0.2, c), rng.normal(0, 0.2, c), rng.uniform(0.5, 1.5, c)]
        else:
            values = [rng.normal(0, np.sqrt(2.0 / max(1, int(np.prod(w.shape[:-1])))), w.shape) for w in current]
        layer.set_weights([np.asarray(v, dtype="float32") for v in values])


def _inference_function(block, shape):
    import tensorflow as tf

    def infer(x):
        return block(x, training=False)

    function = tf.function(infer, input_signature=[tf.TensorSpec((None,) + tuple(shape[1:]), tf.float32)])
    function.get_concrete_function()
    return function


_EXPORTS: dict[int, tuple[type, SavedModel]] = {}  # id(BasicBlock) -> (BasicBlock, its export)


def _export_blocks(BasicBlock):
    """One SavedModel holding a block built for every configuration (`block_<i>`) and its
    inference function traced for that input shape (`infer_<i>`). resblock_shapes and
    resblock_structure measure the same export of the same class: it is built and saved once
    (saving is most of their cost) and copied for the second."""
    found = _EXPORTS.get(id(BasicBlock))
    if found is not None and found[0] is BasicBlock:
        return found[1]
    import tensorflow as tf
    module = tf.Module()
    for index, (shape, filters, stride) in enumerate(_BLOCKS):
        block, _ = _built(BasicBlock, shape, filters, stride)
        setattr(module, f"block_{index}", block)
        setattr(module, f"infer_{index}", _inference_function(block, shape))
    export = SavedModel(module)
    _EXPORTS[id(BasicBlock)] = (BasicBlock, export)
    return export


_LOADED: dict[str, tuple] = {}  # digest of an export's files -> (the loaded model, its object graph's nodes)


def _files_digest(folder):
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        if path.is_symlink():
            digest.update(b"link " + os.readlink(path).encode())
        elif path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _load_export(folder):
    """The exported blocks loaded, and the nodes of its object graph (saved_model.pb), once per
    measuring process for the same files: resblock_shapes and resblock_structure measure copies
    of one export (loading it is half of their measuring). Sharing the loaded model is sound
    because both measures assign the same variables (bn2's gamma and beta, every shortcut
    variable they read) before each block runs, and no other."""
    key = _files_digest(folder)
    if key not in _LOADED:
        from tensorflow.core.protobuf import saved_model_pb2
        model = load_saved_model(folder)
        proto = saved_model_pb2.SavedModel()
        proto.ParseFromString((Path(folder) / "saved_model.pb").read_bytes())
        _LOADED[key] = (model, proto.meta_graphs[0].object_graph_def.nodes)
    return _LOADED[key]


def _block_variables(nodes, index):
    """{path inside block_<index> (attribute names): (shape, trainable)} of every variable the
    exported block holds (each once), from the export's object graph."""
    (start,) = [child.node_id for child in nodes[0].children if child.local_name == f"block_{index}"]
    found, seen, stack = {}, set(), [(start, ())]
    while stack:
        node_id, path = stack.pop()
        if node_id in seen or len(path) > 6:
            continue
        seen.add(node_id)
        node = nodes[node_id]
        if node.WhichOneof("kind") == "variable":
            found[path] = (tuple(int(d.size) for d in node.variable.shape.dim), bool(node.variable.trainable))
            continue
        stack.extend((child.node_id, path + (child.local_name,)) for child in reversed(node.children))
    return found


def _variable(block, variables, layer, names):
    """The loaded variable `<layer>.<name>` of a block (a convolution's kernel is `_kernel` in
    Keras 3), with its shape."""
    for name in names:
        if (layer, name) in variables:
            return getattr(getattr(block, layer), name), variables[(layer, name)][0]
    raise LookupError(f"a built BasicBlock has no variable {layer}.{names[-1]}")


def _shortcut_only(model, nodes, index, seed, identity_like):
    """The block's inference output on a hidden input with bn2's gamma and beta set to 0, so that
    the residual branch adds exactly 0 and the output is relu(shortcut(x)). A projection shortcut
    gets seeded weights, or, with `identity_like` where the identity fits (same channels, stride
    1), weights that make it compute x itself. Returns (output, variables)."""
    shape, filters, stride = _BLOCKS[index]
    variables = _block_variables(nodes, index)
    block = getattr(model, f"block_{index}")
    x = np.random.default_rng(seed + index).normal(size=shape).astype("float32")
    rng = np.random.default_rng(seed + 100 + index)
    for name in ("gamma", "beta"):
        variable, var_shape = _variable(block, variables, "bn2", (name,))
        variable.assign(np.zeros(var_shape, dtype="float32"))
    if any(path[0] == "shortcut_conv" for path in variables):
        kernel, kernel_shape = _variable(block, variables, "shortcut_conv", ("_kernel", "kernel"))
        c = kernel_shape[-1]
        as_identity = identity_like and shape[-1] == filters and stride == 1 and kernel_shape == (1, 1, c, c)
        if as_identity:
            kernel.assign(np.eye(c, dtype="float32").reshape(kernel_shape))
        else:
            kernel.assign(rng.normal(0.0, np.sqrt(2.0 / max(1, shape[-1])), kernel_shape).astype("float32"))
        for name, identity_value, low, high in (("gamma", 1.0, 0.5, 1.5), ("beta", 0.0, -0.3, 0.3),
                                                ("moving_mean", 0.0, -0.3, 0.3), ("moving_variance", 1.0 - 1e-3, 0.5, 1.5)):
            variable, var_shape = _variable(block, variables, "shortcut_bn", (name,))
            value = np.full(var_shape, identity_value) if as_identity else rng.uniform(low, high, var_shape)
            variable.assign(value.astype("float32"))
    output = np.asarray(getattr(model, f"infer_{index}")(x), dtype=np.float64)
    return output, variables


def _measure_shapes(exported):
    """Output shapes and outputs of the exported blocks, with the residual branch zeroed and a
    projection shortcut computing x itself where the identity would fit (so the check is about
    shapes: downsampling and channels, not about which shortcut was chosen)."""
    model, nodes = _load_export(exported["blocks"])
    outputs = [_shortcut_only(model, nodes, index, 7600, identity_like=True)[0] for index in range(len(_BLOCKS))]
    shapes = np.array([out.shape if out.ndim == 4 else (-1, -1, -1, -1) for out in outputs], dtype=np.int64)
    return {"shapes": shapes, "outputs": np.concatenate([out.ravel() for out in outputs])}


def _measure_structure(exported):
    """Per block: is the shortcut the identity (no shortcut_conv variables), how many trainable
    and non-trainable parameters it holds, and its outputs with the residual branch zeroed and
    any projection shortcut given seeded weights (a projection where the identity fits shows)."""
    model, nodes = _load_export(exported["blocks"])
    identity, trainable, non_trainable, outputs = [], [], [], []
    for index in range(len(_BLOCKS)):
        output, variables = _shortcut_only(model, nodes, index, 7700, identity_like=False)
        identity.append(not any(path[0] == "shortcut_conv" for path in variables))
        trainable.append(sum(int(np.prod(shape)) for shape, is_trainable in variables.values() if is_trainable))
        non_trainable.append(sum(int(np.prod(shape)) for shape, is_trainable in variables.values() if not is_trainable))
        outputs.append(output.ravel())
    return {"identity": identity, "trainable": trainable, "non_trainable": non_trainable,
            "outputs": np.concatenate(outputs)}


@hidden_check(compare={"shapes": Exact(), "outputs": OUTPUTS}, measure=_measure_shapes)
def resblock_shapes(BasicBlock):
    return {"blocks": _export_blocks(BasicBlock)}


@hidden_check(compare={"identity": Exact(), "trainable": Exact(), "non_trainable": Exact(), "outputs": OUTPUTS},
              measure=_measure_structure)
def resblock_structure(BasicBlock):
    return {"blocks": _export_blocks(BasicBlock)}


@hidden_check(compare={"inference": OUTPUTS, "training": OUTPUTS})
def resblock_output(BasicBlock):
    rng = np.random.default_rng(7901)
    inference, training = [], []
    for i, (shape, filters, stride) in enumerate([((2, 6, 6, 8), 8, 1), ((2, 7, 7, 4), 8, 2), ((1, 5, 5, 6), 4, 1)]):
        block, _ = _built(BasicBlock, shape, filters, stride)
        _set_weights(block, 7910 + 10 * i)
        x = rng.normal(size=shape).astype("float32")
        inference.append(_f64(block(x, training=False)).ravel())
        training.append(_f64(block(x, training=True)).ravel())
    return {"inference": np.concatenate(inference), "training": np.concatenate(training)}
