"""Hidden checks for custom_components: each probe builds the student's class with its own
arguments, sets weights drawn here, runs it on hidden inputs and returns the results."""
import json

import numpy as np
import tensorflow as tf
import keras

from autograder import Close, Exact, hidden_check

TIGHT = Close(rtol=1e-5, atol=1e-5)


def _rows(rng, shape, scales=(0.1, 1.0, 10.0)):
    """Inputs whose rows have different offsets and scales (and one constant row). Small
    scales make eps matter; offsets stay moderate so float32 rounding stays far below 1e-5."""
    x = rng.normal(size=shape)
    flat = x.reshape(-1, shape[-1])
    for i in range(flat.shape[0]):
        flat[i] = flat[i] * scales[i % len(scales)] + rng.uniform(-2, 2)
    flat[0] = 3.0  # a constant row: variance 0, the output is beta
    return flat.reshape(shape).astype("float32")


def _through_json(config):
    """A config as a saved model stores it: it must be plain JSON."""
    return json.loads(json.dumps(config))


def _layernorm(LayerNormalization, features, seed, eps=1e-3):
    rng = np.random.default_rng(seed)
    layer = LayerNormalization(eps=eps)
    layer.build((None, features))
    layer.alpha.assign(rng.uniform(0.5, 2.0, size=features).astype("float32"))
    layer.beta.assign(rng.normal(size=features).astype("float32"))
    return layer


@hidden_check(compare={"names": Exact(), "shapes": Exact(), "dtypes": Exact(), "trainable": Exact(),
                       "alpha": Exact(), "beta": Exact(), "shapes_3d": Exact()})
def layernorm_weights(LayerNormalization):
    layer = LayerNormalization()
    layer.build((None, 9))
    other = LayerNormalization()
    other(np.zeros((2, 3, 5), dtype="float32"))
    return {
        "names": [w.name for w in layer.weights],
        "shapes": [str(tuple(w.shape)) for w in layer.weights],
        "dtypes": [str(w.dtype) for w in layer.weights],
        "trainable": [bool(w.trainable) for w in layer.weights],
        "alpha": np.asarray(layer.alpha), "beta": np.asarray(layer.beta),
        "shapes_3d": [str(tuple(w.shape)) for w in other.weights],
    }


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
    return {"d_alpha": np.asarray(d_alpha), "d_beta": np.asarray(d_beta)}


@hidden_check(compare={"eps": Close(rtol=1e-12, atol=0), "output": TIGHT})
def layernorm_config(LayerNormalization):
    rng = np.random.default_rng(3401)
    original = _layernorm(LayerNormalization, 8, 3402, eps=0.25)
    clone = LayerNormalization.from_config(_through_json(original.get_config()))
    clone.build((None, 8))
    clone.set_weights(original.get_weights())
    x = _rows(rng, (4, 8))
    return {"eps": float(clone.get_config()["eps"]), "output": np.asarray(clone(x))}


@hidden_check(compare={"output": TIGHT, "n_trainable": Exact()})
def layernorm_in_model(LayerNormalization):
    rng = np.random.default_rng(3501)
    keras.utils.set_random_seed(3501)
    model = keras.Sequential([keras.Input((7,)), keras.layers.Dense(12), LayerNormalization(), keras.layers.Dense(3)])
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.get_weights()])
    x = rng.normal(size=(5, 7)).astype("float32")
    return {"output": np.asarray(model(x)), "n_trainable": len(model.trainable_variables)}


@hidden_check(compare={"formula": Exact(), "max_diff": Close(rtol=0.05, atol=0)})
def keras_difference(formula, max_diff):
    return {"formula": str(formula).strip().lower(), "max_diff": float(max_diff)}


def _dense_cases(MyDense, rng):
    x2 = rng.normal(size=(6, 5)).astype("float32")
    x3 = rng.normal(size=(2, 3, 5)).astype("float32")
    for activation in (None, "relu", "tanh", keras.activations.sigmoid):
        layer = MyDense(4, activation=activation)
        layer.build((None, 5))
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
    cases = [(None, 5), (8, 5), (None, 4, 5), (2, 3, 4, 5)]
    return {"shapes": [str(tuple(None if d is None else int(d) for d in MyDense(11).compute_output_shape(s)))
                       for s in cases]}


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


@hidden_check(compare={"values": Close(rtol=1e-5, atol=1e-6), "keras": Close(rtol=1e-5, atol=1e-6)})
def huber_values(HuberLoss):
    y_true, y_pred = _huber_data(3901)
    thresholds = [0.3, 1.0, 2.5]
    values = [float(HuberLoss(threshold=t)(y_true, y_pred)) for t in thresholds]
    default = float(HuberLoss()(y_true, y_pred))
    keras_values = [float(keras.losses.Huber(delta=t)(y_true, y_pred)) for t in thresholds]
    # "keras" is the student's loss minus Keras's: 0 for a correct loss, whatever the reference.
    return {"values": np.array(values + [default]), "keras": np.array(values) - np.array(keras_values)}


@hidden_check(compare={"threshold": Close(rtol=1e-12, atol=0), "value": Close(rtol=1e-5, atol=1e-6)})
def huber_config(HuberLoss):
    y_true, y_pred = _huber_data(4001)
    clone = HuberLoss.from_config(_through_json(HuberLoss(threshold=2.5).get_config()))
    return {"threshold": float(clone.get_config()["threshold"]), "value": float(clone(y_true, y_pred))}


@hidden_check(compare={"answer": Exact()})
def loss_subclass_choice(answer):
    return {"answer": str(answer).strip().lower()}


def _batches(seed):
    rng = np.random.default_rng(seed)
    sizes = [7, 1, 30, 4, 12]
    return [(rng.normal(size=(n, 3)).astype("float32"), rng.normal(scale=2.0, size=(n, 3)).astype("float32"))
            for n in sizes]


@hidden_check(compare={"results": Close(rtol=1e-5, atol=1e-6), "n_variables": Exact()})
def metric_accumulates(StreamingMAE):
    metric = StreamingMAE()
    n_before = len(metric.variables)
    results = []
    for y_true, y_pred in _batches(4101):
        metric.update_state(y_true, y_pred)
        results.append(float(metric.result()))
    return {"results": np.array(results), "n_variables": [n_before, len(metric.variables)]}


@hidden_check(compare={"after_reset": Close(rtol=1e-5, atol=1e-6)})
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
    return {"after_reset": np.array(results)}
