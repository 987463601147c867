"""Hidden checks for custom_components: each probe builds the student's class with its own
arguments, sets weights drawn here, runs it on hidden inputs and returns the results.

Evidence: every check judges outputs on hidden inputs (layer outputs, gradients, losses, metric
states), except layernorm_weights, whose names/shapes/initial values are re-measured from the
exported variables in a process that ran no student code, and dense_output_shape (shapes of
input shapes the probe draws; see its docstring). Probes that set weights assign values
reshaped to the variable's own shape, so only layernorm_weights judges the weights' shapes."""
import json

import numpy as np
import tensorflow as tf
import keras

from autograder import Close, Exact, SavedModel, hidden_check, load_saved_model

TIGHT = Close(rtol=1e-5, atol=1e-5)


def _rows(rng, shape, scales=(0.1, 1.0, 10.0)):
    """Inputs whose rows have different offsets and scales (and one constant row). Small
    scales make eps matter; each row's offset is at most 2 of its own standard deviations, so
    the one-pass variance E[x^2] - E[x]^2 in float32 stays within 2 % of the 1e-5 tolerance
    (with offsets of 20 standard deviations its cancellation error exceeds the tolerance)."""
    x = rng.normal(size=shape)
    flat = x.reshape(-1, shape[-1])
    for i in range(flat.shape[0]):
        flat[i] = (flat[i] + rng.uniform(-2, 2)) * scales[i % len(scales)]
    flat[0] = 3.0  # a constant row (exact in float32 for either variance formula): the output is beta
    return flat.reshape(shape).astype("float32")


def _through_json(config):
    """A config as a saved model stores it: it must be plain JSON."""
    return json.loads(json.dumps(config))


def _assign(variable, values):
    """Set a weight to `values` reshaped to the weight's own shape (a layer whose alpha has
    shape (1, F) loses the weights check only, not the checks that set weights)."""
    variable.assign(np.reshape(values, tuple(variable.shape)).astype("float32"))


def _layernorm(LayerNormalization, features, seed, eps=1e-3):
    rng = np.random.default_rng(seed)
    layer = LayerNormalization(eps=eps)
    layer.build((None, features))
    _assign(layer.alpha, rng.uniform(0.5, 2.0, size=features))
    _assign(layer.beta, rng.normal(size=features))
    return layer


def _tf_variable(weight):
    variable = getattr(weight, "value", weight)  # a Keras variable holds a tf.Variable
    if not isinstance(variable, tf.Variable):
        raise TypeError(f"a weight of the layer is a {type(weight).__name__}, not a variable")
    return variable


def _weights_of(layer):
    """The layer's weights as Keras tracks them, split as Keras splits them, in a module that
    tf.saved_model can export (variables only, no code of the student)."""
    module = tf.Module()
    module.trainable = [_tf_variable(w) for w in layer.trainable_weights]
    module.non_trainable = [_tf_variable(w) for w in layer.non_trainable_weights]
    return module


def _measure_weights(exported):
    """Names, shapes, dtypes, trainability and values of the exported weights, read from the
    SavedModels (runs no student code)."""
    out = {}
    for key in ("built_2d", "built_3d"):
        loaded = load_saved_model(exported[key])
        found = {}
        for trainable in (True, False):
            for variable in getattr(loaded, "trainable" if trainable else "non_trainable", []):
                found[variable.name.split(":")[0].split("/")[-1]] = (variable, trainable)
        names = sorted(found)
        suffix = "" if key == "built_2d" else "_3d"
        out["names" + suffix] = names
        out["shapes" + suffix] = [str(tuple(found[n][0].shape)) for n in names]
        if key == "built_2d":
            out["dtypes"] = [found[n][0].dtype.name for n in names]
            out["trainable"] = [found[n][1] for n in names]
            for name in ("alpha", "beta"):
                out[name] = found[name][0].numpy() if name in found else np.array([], dtype="float32")
    return out


@hidden_check(compare={"names": Exact(), "shapes": Exact(), "dtypes": Exact(), "trainable": Exact(),
                       "alpha": Exact(), "beta": Exact(), "names_3d": Exact(), "shapes_3d": Exact()},
              measure=_measure_weights)
def layernorm_weights(LayerNormalization):
    """Built for 9 features and for (batch, 3, 5) inputs, never called (a bug in call()
    costs nothing here); the weights are judged from the exported variables."""
    layer = LayerNormalization()
    layer.build((None, 9))
    other = LayerNormalization()
    other.build((None, 3, 5))
    return {"built_2d": SavedModel(_weights_of(layer)), "built_3d": SavedModel(_weights_of(other))}


@hidden_check(compare={"fresh": TIGHT, "set_weights": TIGHT, "other_eps": TIGHT})
def layernorm_forward_2d(LayerNormalization):
    rng = np.random.default_rng(3101)
    x = _rows(rng, (12, 24))
    return {
        "fresh": np.asarray(LayerNormalization()(x)),
        "set_weights": np.asarray(_layernorm(LayerNormalization, 24, 3102)(x)),
        "other_eps": np.asarray(_layernorm(LayerNormalization, 24, 3103, eps=0.5)(x)),
    }


@hidden_check(compare={"output": TIGHT, "shape": Exact()})
def layernorm_forward_3d(LayerNormalization):
    rng = np.random.default_rng(3201)
    x = _rows(rng, (3, 5, 16))
    out = np.asarray(_layernorm(LayerNormalization, 16, 3202)(x))
    return {"output": out, "shape": list(out.shape)}


@hidden_check(compare={"d_alpha": TIGHT, "d_beta": TIGHT})
def layernorm_gradients(LayerNormalization):
    rng = np.random.default_rng(3301)
    x = _rows(rng, (6, 10), scales=(1.0, 3.0))
    weights = rng.normal(size=(6, 10)).astype("float32")
    layer = _layernorm(LayerNormalization, 10, 3302)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(x) * weights)
    d_alpha, d_beta = tape.gradient(loss, [layer.alpha, layer.beta])
    return {"d_alpha": np.reshape(d_alpha, (-1,)), "d_beta": np.reshape(d_beta, (-1,))}


@hidden_check(compare={"eps": Close(rtol=1e-12, atol=0), "output": TIGHT})
def layernorm_config(LayerNormalization):
    rng = np.random.default_rng(3401)
    original = _layernorm(LayerNormalization, 8, 3402, eps=0.25)
    clone = LayerNormalization.from_config(_through_json(original.get_config()))
    clone.build((None, 8))
    clone.set_weights(original.get_weights())
    x = _rows(rng, (4, 8))
    return {"eps": float(clone.get_config()["eps"]), "output": np.asarray(clone(x))}


@hidden_check(compare={"output": TIGHT, "after_step": TIGHT})
def layernorm_in_model(LayerNormalization):
    """The model's output, and its output after one SGD step on all its trainable variables:
    alpha and beta must be tracked by the model as trainable for the step to move them."""
    rng = np.random.default_rng(3501)
    keras.utils.set_random_seed(3501)
    model = keras.Sequential([keras.Input((7,)), keras.layers.Dense(12), LayerNormalization(), keras.layers.Dense(3)])
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.get_weights()])
    x = rng.normal(size=(5, 7)).astype("float32")
    target = rng.normal(size=(5, 3)).astype("float32")
    output = np.asarray(model(x))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(model(x, training=True) - target))
    variables = model.trainable_variables
    keras.optimizers.SGD(0.05).apply_gradients(zip(tape.gradient(loss, variables), variables))
    return {"output": output, "after_step": np.asarray(model(x))}


@hidden_check(compare={"formula": Exact(), "max_diff": Close(rtol=0.05, atol=0)})
def keras_difference(formula, max_diff):
    return {"formula": str(formula).strip().lower(), "max_diff": float(max_diff)}


def _own_dense(MyDense, layer=None):
    """The task is to write the dense layer: Keras's own (subclassed, or held as a sub-layer)
    is refused."""
    if isinstance(MyDense, type) and issubclass(MyDense, (keras.layers.Dense, keras.layers.EinsumDense)):
        raise TypeError("MyDense must compute the layer itself, not subclass keras.layers.Dense")
    if layer is not None and list(layer._flatten_layers(include_self=False)):
        raise TypeError("MyDense must hold its own kernel and bias, not other layers")


def _dense_cases(MyDense, rng):
    _own_dense(MyDense)
    x2 = rng.normal(size=(6, 5)).astype("float32")
    x3 = rng.normal(size=(2, 3, 5)).astype("float32")
    for activation in (None, "relu", "tanh", keras.activations.sigmoid):
        layer = MyDense(4, activation=activation)
        layer.build((None, 5))
        _own_dense(MyDense, layer)
        layer.set_weights([rng.normal(size=w.shape).astype("float32") for w in layer.get_weights()])
        yield layer, x2, x3


@hidden_check(compare={"outputs_2d": TIGHT, "outputs_3d": TIGHT, "weight_shapes": Exact()})
def dense_forward(MyDense):
    rng = np.random.default_rng(3601)
    outs2, outs3, shapes = [], [], []
    for layer, x2, x3 in _dense_cases(MyDense, rng):
        outs2.append(np.asarray(layer(x2)))
        outs3.append(np.asarray(layer(x3)))
        shapes.append(" ".join(sorted("x".join(str(d) for d in w.shape) for w in layer.weights)))
    return {"outputs_2d": np.stack(outs2), "outputs_3d": np.stack(outs3), "weight_shapes": shapes}


@hidden_check(compare={"shapes": Exact()})
def dense_output_shape(MyDense):
    """compute_output_shape on input shapes and unit counts the probe draws (ranks 2 to 5,
    known and unknown batch sizes), never building or calling the layer. Its outputs are
    shapes, but of cases the notebook does not show: to report them without the method, a
    student must apply the method's rule to this probe's cases."""
    _own_dense(MyDense)
    rng = np.random.default_rng(3701)
    shapes = []
    for rank in (2, 2, 3, 4, 5):
        units = int(rng.integers(2, 40))
        shape = tuple(int(d) for d in rng.integers(1, 30, size=rank))
        shape = (None,) + shape[1:] if rng.uniform() < 0.5 else shape
        got = MyDense(units).compute_output_shape(shape)
        shapes.append(str(tuple(None if d is None else int(d) for d in got)))
    return {"shapes": shapes}


@hidden_check(compare={"units": Exact(), "outputs": TIGHT})
def dense_config(MyDense):
    rng = np.random.default_rng(3801)
    units, outputs = [], []
    for layer, x2, _ in _dense_cases(MyDense, rng):
        clone = MyDense.from_config(_through_json(layer.get_config()))
        clone.build((None, 5))
        clone.set_weights(layer.get_weights())
        units.append(int(clone.get_config()["units"]))
        outputs.append(np.asarray(clone(x2)))
    return {"units": units, "outputs": np.stack(outputs)}


def _huber_data(seed):
    rng = np.random.default_rng(seed)
    y_true = rng.normal(size=(32, 3)).astype("float32")
    y_pred = (y_true + rng.normal(scale=2.0, size=(32, 3))).astype("float32")
    return y_true, y_pred


@hidden_check(compare={"values": Close(rtol=1e-5, atol=1e-6), "keras": Close(rtol=1e-5, atol=1e-6),
                       "elementwise": Close(rtol=1e-5, atol=1e-6)})
def huber_values(HuberLoss):
    """The reduced loss for several thresholds (and the default), its difference from Keras's
    Huber, and what call() returns: the loss of every element, shape (32, 3)."""
    y_true, y_pred = _huber_data(3901)
    thresholds = [0.3, 1.0, 2.5]
    values = [float(HuberLoss(threshold=t)(y_true, y_pred)) for t in thresholds]
    default = float(HuberLoss()(y_true, y_pred))
    keras_values = [float(keras.losses.Huber(delta=t)(y_true, y_pred)) for t in thresholds]
    elementwise = [np.asarray(HuberLoss(threshold=t).call(tf.constant(y_true), tf.constant(y_pred)))
                   for t in thresholds]
    # "keras" is the student's loss minus Keras's: 0 for a correct loss, whatever the reference.
    return {"values": np.array(values + [default]), "keras": np.array(values) - np.array(keras_values),
            "elementwise": np.stack(elementwise)}


@hidden_check(compare={"threshold": Close(rtol=1e-12, atol=0), "value": Close(rtol=1e-5, atol=1e-6),
                       "elementwise": Close(rtol=1e-5, atol=1e-6)})
def huber_config(HuberLoss):
    y_true, y_pred = _huber_data(4001)
    clone = HuberLoss.from_config(_through_json(HuberLoss(threshold=2.5).get_config()))
    return {"threshold": float(clone.get_config()["threshold"]), "value": float(clone(y_true, y_pred)),
            "elementwise": np.asarray(clone.call(tf.constant(y_true), tf.constant(y_pred)))}


@hidden_check(compare={"answer": Exact()})
def loss_subclass_choice(answer):
    return {"answer": str(answer).strip().lower()}


def _batches(seed):
    rng = np.random.default_rng(seed)
    sizes = [7, 1, 30, 4, 12]
    return [(rng.normal(size=(n, 3)).astype("float32"), rng.normal(scale=2.0, size=(n, 3)).astype("float32"))
            for n in sizes]


def _state(metric):
    """The values of the metric's state variables, in increasing order."""
    return np.array(sorted(float(np.asarray(v)) for v in metric.variables), dtype="float64")


@hidden_check(compare={"results": Close(rtol=1e-5, atol=1e-6), "state": Close(rtol=1e-5, atol=1e-6)})
def metric_accumulates(StreamingMAE):
    """result() after each batch, and the values of the metric's state variables at the end
    (the running sum of |error| and count of elements, in increasing order)."""
    metric = StreamingMAE()
    results = []
    for y_true, y_pred in _batches(4101):
        metric.update_state(y_true, y_pred)
        results.append(float(metric.result()))
    return {"results": np.array(results), "state": _state(metric)}


@hidden_check(compare={"after_reset": Close(rtol=1e-5, atol=1e-6), "state": Close(rtol=1e-5, atol=1e-6)})
def metric_reset(StreamingMAE):
    metric = StreamingMAE()
    batches = _batches(4201)
    for y_true, y_pred in batches[:3]:
        metric.update_state(y_true, y_pred)
    metric.reset_state()
    results = []
    for y_true, y_pred in batches[3:]:
        metric.update_state(y_true, y_pred)
        results.append(float(metric.result()))
    return {"after_reset": np.array(results), "state": _state(metric)}
