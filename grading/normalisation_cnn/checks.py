"""Hidden checks for normalisation_cnn: each probe builds its own seeded inputs (channels with
different offsets and scales, one almost constant so that epsilon matters), calls the student's
code and returns what it computed.

Evidence: every judged output is the student's code evaluated on hidden inputs, or a value the
student was asked for. The batch-normalisation state is read only from real NumPy arrays
(`type(v) is np.ndarray`, copied with the array's own methods), so an object that computes what
it reports when it is read cannot stand in for it. The residual block's shapes and structure are
measured from an exported SavedModel of the built blocks' inference graphs, in a process that
ran no student code: each graph takes the block's variables as inputs (their shapes and the
trainable/non-trainable split are the graph's signature), and its outputs on hidden inputs are
computed there with weights set there."""
import operator

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


_WEIGHTS = ("kernel", "gamma", "beta", "moving_mean", "moving_variance")


def _stateless_inference(block, shape, trainable, non_trainable):
    """The block's inference pass as a function of its input and of values for every variable
    it holds (Keras's stateless_call): the traced graph captures no variable, so the export
    holds the student's computation only. Exporting the blocks' variables took most of the
    measuring (about 4 ms of graph building per variable, 95 of them, and a walk over Keras's
    object graph); the verifier now passes the values in."""
    import tensorflow as tf

    def infer(x, trainable_values, non_trainable_values):
        output, _ = block.stateless_call(trainable_values, non_trainable_values, x, training=False)
        return output

    function = tf.function(infer, input_signature=[
        tf.TensorSpec((None,) + tuple(shape[1:]), tf.float32),
        [tf.TensorSpec(tuple(v.shape), v.dtype) for v in trainable],
        [tf.TensorSpec(tuple(v.shape), v.dtype) for v in non_trainable]])
    function.get_concrete_function()
    return function


def _labels(block, variables):
    """'<sub-layer>.<weight>' for each variable one of the prompt's sub-layers holds as that
    weight (bn2.gamma, shortcut_conv.kernel, ...), '<sub-layer>.' for its other variables, ''
    for variables outside them. Labels only say where the measure writes its values: a wrong
    label changes the measured outputs, and the shapes and counts come from the graph."""
    labels = {}
    for sublayer in _SUBLAYERS:
        layer = getattr(block, sublayer, None)
        if layer is None:
            continue
        for weight in getattr(layer, "weights", None) or []:
            labels.setdefault(id(weight), f"{sublayer}.")
        for name in _WEIGHTS:
            weight = getattr(layer, name, None)
            if weight is not None:
                labels[id(weight)] = f"{sublayer}.{name}"
    return [labels.get(id(v), "") for v in variables]


_EXPORTS: dict[int, tuple[type, dict]] = {}  # id(BasicBlock) -> (BasicBlock, what its probes export)


def _export_blocks(BasicBlock):
    """A block built for every configuration: its stateless inference function traced for that
    input shape (`infer_<i>` in one SavedModel), its variables' values (`values_<i>`, flat, in
    the function's order: trainable, then non-trainable) and their labels (`labels_<i>`).
    resblock_shapes and resblock_structure measure the same export of the same class: it is
    built and saved once and copied for the second."""
    found = _EXPORTS.get(id(BasicBlock))
    if found is not None and found[0] is BasicBlock:
        return found[1]
    import tensorflow as tf
    module, exported = tf.Module(), {}
    for index, (shape, filters, stride) in enumerate(_BLOCKS):
        block, _ = _built(BasicBlock, shape, filters, stride)
        trainable, non_trainable = list(block.trainable_variables), list(block.non_trainable_variables)
        setattr(module, f"infer_{index}", _stateless_inference(block, shape, trainable, non_trainable))
        values = [np.asarray(v, dtype=np.float64).ravel() for v in trainable + non_trainable]
        exported[f"values_{index}"] = np.concatenate(values) if values else np.zeros(0)
        exported[f"labels_{index}"] = np.array(_labels(block, trainable + non_trainable), dtype=str)
    exported["blocks"] = SavedModel(module)
    _EXPORTS[id(BasicBlock)] = (BasicBlock, exported)
    return exported


class _ExportedBlock:
    """One exported block in the verifier: the variables' specs from its traced function's
    signature (so their shapes, dtypes and trainable split are the graph's, not a claim), their
    exported values, and their labels."""

    def __init__(self, model, exported, index):
        self.function = getattr(model, f"infer_{index}")
        (_, trainable, non_trainable), _ = self.function.concrete_functions[0].structured_input_signature
        self.specs = [(spec, True) for spec in trainable] + [(spec, False) for spec in non_trainable]
        sizes = [int(np.prod(spec.shape)) for spec, _ in self.specs]
        flat = np.asarray(exported[f"values_{index}"], dtype=np.float64)
        labels = [str(label) for label in np.asarray(exported[f"labels_{index}"]).ravel()]
        if flat.size != sum(sizes) or len(labels) != len(self.specs):
            raise ValueError("the exported values do not match the block's variables")
        offsets = np.cumsum([0] + sizes)
        self.values = [flat[offsets[i]:offsets[i + 1]].reshape(spec.shape).astype(spec.dtype.as_numpy_dtype)
                       for i, (spec, _) in enumerate(self.specs)]
        self.labels = labels

    def holds(self, sublayer):
        return any(label.split(".")[0] == sublayer for label in self.labels)

    def count(self, trainable):
        return sum(int(np.prod(spec.shape)) for spec, is_trainable in self.specs if is_trainable == trainable)

    def position(self, label):
        if label not in self.labels:
            raise LookupError(f"a built BasicBlock has no variable {label}")
        return self.labels.index(label)

    def assign(self, label, value):
        position = self.position(label)
        self.values[position] = np.asarray(value, dtype=self.values[position].dtype).reshape(self.values[position].shape)

    def shape(self, label):
        return tuple(self.specs[self.position(label)][0].shape)

    def __call__(self, x):
        split = sum(1 for _, is_trainable in self.specs if is_trainable)
        return np.asarray(self.function(x, self.values[:split], self.values[split:]), dtype=np.float64)


def _shortcut_only(model, exported, index, seed, identity_like):
    """The block's inference output on a hidden input with bn2's gamma and beta set to 0, so that
    the residual branch adds exactly 0 and the output is relu(shortcut(x)). A projection shortcut
    gets seeded weights, or, with `identity_like` where the identity fits (same channels, stride
    1), weights that make it compute x itself. Every other variable keeps its exported value.
    Returns (output, the exported block)."""
    shape, filters, stride = _BLOCKS[index]
    block = _ExportedBlock(model, exported, index)
    x = np.random.default_rng(seed + index).normal(size=shape).astype("float32")
    rng = np.random.default_rng(seed + 100 + index)
    for name in ("gamma", "beta"):
        block.assign(f"bn2.{name}", np.zeros(block.shape(f"bn2.{name}")))
    if block.holds("shortcut_conv"):
        kernel_shape = block.shape("shortcut_conv.kernel")
        c = kernel_shape[-1]
        as_identity = identity_like and shape[-1] == filters and stride == 1 and kernel_shape == (1, 1, c, c)
        if as_identity:
            block.assign("shortcut_conv.kernel", np.eye(c).reshape(kernel_shape))
        else:
            block.assign("shortcut_conv.kernel", rng.normal(0.0, np.sqrt(2.0 / max(1, shape[-1])), kernel_shape))
        for name, identity_value, low, high in (("gamma", 1.0, 0.5, 1.5), ("beta", 0.0, -0.3, 0.3),
                                                ("moving_mean", 0.0, -0.3, 0.3), ("moving_variance", 1.0 - 1e-3, 0.5, 1.5)):
            var_shape = block.shape(f"shortcut_bn.{name}")
            block.assign(f"shortcut_bn.{name}",
                         np.full(var_shape, identity_value) if as_identity else rng.uniform(low, high, var_shape))
    return block(x), block


def _measure_shapes(exported):
    """Output shapes and outputs of the exported blocks, with the residual branch zeroed and a
    projection shortcut computing x itself where the identity would fit (so the check is about
    shapes: downsampling and channels, not about which shortcut was chosen)."""
    model = load_saved_model(exported["blocks"])
    outputs = [_shortcut_only(model, exported, index, 7600, identity_like=True)[0] for index in range(len(_BLOCKS))]
    shapes = np.array([out.shape if out.ndim == 4 else (-1, -1, -1, -1) for out in outputs], dtype=np.int64)
    return {"shapes": shapes, "outputs": np.concatenate([out.ravel() for out in outputs])}


def _measure_structure(exported):
    """Per block: is the shortcut the identity (no shortcut_conv variables), how many trainable
    and non-trainable parameters it holds, and its outputs with the residual branch zeroed and
    any projection shortcut given seeded weights (a projection where the identity fits shows)."""
    model = load_saved_model(exported["blocks"])
    identity, trainable, non_trainable, outputs = [], [], [], []
    for index in range(len(_BLOCKS)):
        output, block = _shortcut_only(model, exported, index, 7700, identity_like=False)
        identity.append(not block.holds("shortcut_conv"))
        trainable.append(block.count(trainable=True))
        non_trainable.append(block.count(trainable=False))
        outputs.append(output.ravel())
    return {"identity": identity, "trainable": trainable, "non_trainable": non_trainable,
            "outputs": np.concatenate(outputs)}


@hidden_check(compare={"shapes": Exact(), "outputs": OUTPUTS}, measure=_measure_shapes)
def resblock_shapes(BasicBlock):
    return _export_blocks(BasicBlock)


@hidden_check(compare={"identity": Exact(), "trainable": Exact(), "non_trainable": Exact(), "outputs": OUTPUTS},
              measure=_measure_structure)
def resblock_structure(BasicBlock):
    return _export_blocks(BasicBlock)


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
