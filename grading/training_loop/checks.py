"""Hidden checks for training_loop. The probes train the student's code on real Fashion-MNIST
images chosen here (other images, seeds and learning rates than the notebook's) and return
what came out: weights and logits after some steps, per-epoch histories.

Evidence: each check judges values computed on hidden data. The tasks build on each other
(fit calls train_step, which calls split_variables); a probe runs the student's function with the
reference implementation of the earlier task bound to that task's name, so a mistake is counted
once, in its own task. The learning rates are judged without calling the student's code: the
measure trains the reference model with the reference loop below at the student's rates."""
import functools

import numpy as np
import tensorflow as tf
import keras

from autograder import AtLeast, Close, Exact, SameSet, earlier_tasks_as_reference, hidden_check

SGD, Adam = keras.optimizers.SGD, keras.optimizers.Adam
STEP = Close(rtol=1e-4, atol=1e-5)


@functools.lru_cache(maxsize=1)
def _fashion_mnist():
    (x, y), _ = keras.datasets.fashion_mnist.load_data()
    return x, y


def _sample(seed, n):
    """n training images and labels picked at random (seeded), as float32 in [0, 1] and int32."""
    x, y = _fashion_mnist()
    index = np.random.default_rng(seed).choice(len(x), size=n, replace=False)
    return x[index].astype("float32") / 255.0, y[index].astype("int32")


# -- the reference solution of the tasks the later ones build on ----------------------------------

def _build_model(seed=0, hidden=(64,)):
    """The notebook's build_model (given to the students in its setup cell)."""
    keras.utils.set_random_seed(seed)
    layers = [keras.Input(shape=(28, 28)), keras.layers.Flatten()]
    layers += [keras.layers.Dense(units, activation="relu") for units in hidden]
    layers.append(keras.layers.Dense(10))
    return keras.Sequential(layers)


def _reference_split(model):
    output_vars = list(model.layers[-1].trainable_variables)
    output_ids = {id(v) for v in output_vars}
    return [v for v in model.trainable_variables if id(v) not in output_ids], output_vars


def _two_optimizer_step(model, x, y, loss_fn, lower_vars, output_vars, opt_lower, opt_output):
    lower_vars, output_vars = list(lower_vars), list(output_vars)
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = loss_fn(y, logits)
    grads = tape.gradient(loss, lower_vars + output_vars)
    opt_lower.apply_gradients(zip(grads[:len(lower_vars)], lower_vars))
    opt_output.apply_gradients(zip(grads[len(lower_vars):], output_vars))
    return loss, logits


def _reference_train_step(model, x, y, loss_fn, opt_lower, opt_output):
    lower_vars, output_vars = _reference_split(model)
    return _two_optimizer_step(model, x, y, loss_fn, lower_vars, output_vars, opt_lower, opt_output)


def _loss_of(result):
    """train_step returns (loss, logits); take the loss."""
    return result[0] if isinstance(result, (tuple, list)) else result


def _logits_of(result):
    return result[1] if isinstance(result, (tuple, list)) and len(result) > 1 else np.zeros((0,), "float32")


def _weights(model):
    return np.concatenate([np.ravel(v.numpy()) for v in model.trainable_variables])


# -- the checks --------------------------------------------------------------------------------------

@hidden_check(compare={"x": Close(rtol=0, atol=1e-6), "x_dtype": Exact(), "x_shape": Exact(),
                       "y": Exact(), "y_dtype": Exact()})
def prepare_scales_images(prepare):
    images, labels = _fashion_mnist()
    index = np.random.default_rng(8101).choice(len(images), size=64, replace=False)
    x, y = prepare(images[index].copy(), labels[index].copy())
    x, y = np.asarray(x), np.asarray(y)
    return {"x": x.astype("float64"), "x_dtype": str(x.dtype), "x_shape": list(x.shape),
            "y": y.astype("int64"), "y_dtype": str(y.dtype)}


@hidden_check(compare={"lower": Exact(), "output": Exact(), "losses": STEP, "weights": STEP})
def split_variables_by_layer(split_variables):
    """The student's split of a model with three hidden layers (sizes chosen here), as positions in
    model.trainable_variables, and its effect: the weights after three reference update steps that
    apply SGD(0.05) to the lower list and SGD(0.8) to the output list (a variable in the wrong list,
    in both or in none moves differently)."""
    model = _build_model(seed=3, hidden=(13, 11, 7))
    lower, output = split_variables(model)
    lower, output = list(lower), list(output)
    position = {id(v): i for i, v in enumerate(model.trainable_variables)}
    x, y = _sample(8202, 3 * 16)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    opt_lower, opt_output = SGD(0.05), SGD(0.8)
    losses = []
    for k in range(3):
        batch = slice(16 * k, 16 * (k + 1))
        loss, _ = _two_optimizer_step(model, x[batch], y[batch], loss_fn, lower, output, opt_lower, opt_output)
        losses.append(float(loss))
    return {"lower": sorted(position.get(id(v), -1) for v in lower),
            "output": sorted(position.get(id(v), -1) for v in output),
            "losses": np.array(losses), "weights": _weights(model)}


@hidden_check(compare={"sgd_losses": STEP, "sgd_weights": STEP, "sgd_logits": STEP,
                       "adam_losses": STEP, "adam_weights": STEP, "adam_logits": STEP})
def train_step_two_optimizers(train_step):
    """Five steps with two SGDs and five with two Adams, from the same initial weights: each step's
    loss and logits (of the forward pass that computed the loss, before the update) and the weights
    at the end. train_step runs with the reference split_variables."""
    x, y = _sample(8303, 5 * 24)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    out = {}
    with earlier_tasks_as_reference(train_step, {"split_variables": _reference_split}):
        for name, optimizers in (("sgd", lambda: (SGD(0.05), SGD(0.5))), ("adam", lambda: (Adam(1e-3), Adam(2e-2)))):
            model = _build_model(seed=4, hidden=(32,))
            opt_lower, opt_output = optimizers()
            losses, logits = [], []
            for k in range(5):
                batch = slice(24 * k, 24 * (k + 1))
                result = train_step(model, x[batch], y[batch], loss_fn, opt_lower, opt_output)
                losses.append(float(_loss_of(result)))
                logits.append(np.asarray(_logits_of(result), dtype="float32"))
            out[f"{name}_losses"] = np.array(losses)
            out[f"{name}_logits"] = np.stack(logits)
            out[f"{name}_weights"] = _weights(model)
    return out


def _fit_data():
    """230 training images: 224 of classes 0-8, then 6 of class 9, so that with batches of 32 the
    last batch is small and its loss far from the others' (a class the model has barely seen): an
    epoch loss that counts batches instead of images, or drops the last batch, is far off. 80
    validation images of every class."""
    x, y = _sample(8404, 1200)
    rest = np.flatnonzero(y != 9)
    nines = np.flatnonzero(y == 9)
    train = np.concatenate([rest[:224], nines[:6]])
    valid = np.setdiff1d(np.arange(len(y)), train)[:80]
    return (x[train], y[train]), (x[valid], y[valid])


# Accuracies may differ by one flipped prediction between CPUs (1/80 of the validation set);
# a history that is not reset each epoch, or misses an epoch, is off by far more.
@hidden_check(compare={"loss": Close(rtol=1e-3, atol=1e-5), "accuracy": Close(rtol=0, atol=0.013),
                       "val_loss": Close(rtol=1e-3, atol=1e-5), "val_accuracy": Close(rtol=0, atol=0.013),
                       "keys": SameSet()})
def fit_history(fit):
    """The history of 3 epochs on the data above; fit runs with the reference train_step."""
    train, valid = _fit_data()
    model = _build_model(seed=6, hidden=(32,))
    with earlier_tasks_as_reference(fit, {"train_step": _reference_train_step,
                                              "split_variables": _reference_split}):
        history = fit(model, train, valid, 3, 32, SGD(0.2), SGD(0.1))
    out = {"keys": sorted(str(k) for k in history)}
    for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
        out[key] = np.asarray([float(v) for v in history.get(key, [])], dtype="float64")
    return out


@hidden_check(compare={"steps": Exact(), "last_batch": Exact()})
def steps_per_epoch(steps, last_batch):
    return {"steps": int(steps), "last_batch": int(last_batch)}


END_TO_END_SEEDS = (11, 12, 13)


def _reference_accuracy(lr_lower, lr_output, seed, epochs=3, batch_size=100):
    """Validation accuracy of the reference model (seed) trained by the reference loop: plain SGD
    at lr_lower on the hidden layer and lr_output on the output layer, the notebook's data (the
    first 5,000 training images, validated on the last 1,000), batches in order."""
    images, labels = _fashion_mnist()
    x, y = images[:5000].astype("float32") / 255.0, labels[:5000].astype("int32")
    x_valid, y_valid = images[-1000:].astype("float32") / 255.0, labels[-1000:].astype("int32")
    model = _build_model(seed=seed)
    lower_vars, output_vars = _reference_split(model)
    opt_lower, opt_output = SGD(lr_lower), SGD(lr_output)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    @tf.function
    def step(x_batch, y_batch):
        _two_optimizer_step(model, x_batch, y_batch, loss_fn, lower_vars, output_vars, opt_lower, opt_output)

    for _ in range(epochs):
        for start in range(0, len(x), batch_size):
            step(x[start:start + batch_size], y[start:start + batch_size])
    predictions = np.argmax(np.asarray(model(x_valid, training=False)), axis=-1)
    return float(np.mean(predictions == y_valid))


def _measure_rates(exported):
    """The mean validation accuracy, over three initialisations, of the reference training at the
    student's rates (0 for rates that are not positive finite numbers). Runs no student code."""
    lr_lower, lr_output = float(exported["lr_lower"]), float(exported["lr_output"])
    if not all(np.isfinite(r) and r > 0 for r in (lr_lower, lr_output)):
        return {"val_accuracy": 0.0}
    return {"val_accuracy": float(np.mean([_reference_accuracy(lr_lower, lr_output, s) for s in END_TO_END_SEEDS]))}


@hidden_check(compare={"val_accuracy": AtLeast(0.72)}, measure=_measure_rates)
def end_to_end_accuracy(lr_lower, lr_output):
    """The learning rates are values: the probe only exports them; the measure trains the reference."""
    return {"lr_lower": float(lr_lower), "lr_output": float(lr_output)}


@hidden_check(compare={"choices": SameSet()})
def custom_loop_choices(answer):
    return {"choices": sorted(str(choice).strip().lower() for choice in answer)}
