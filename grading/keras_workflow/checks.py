"""Hidden checks for keras_workflow: each probe builds its own hidden case (images, loss
sequences, models, weights, rates), runs the student's code on it and returns what came out.

Evidence (docs/evidence.md): every check but dropout_behaviour judges values the student's code
computes on hidden inputs: the batches of a pipeline iterated for two epochs, early-stopping
outcomes of hidden loss sequences, losses recorded during a fit on hidden data, schedule values,
outputs and stored weights of a saved and reloaded model, outputs, losses and weights of transfer
models through training steps (frozen, then unfrozen for fine-tuning). Counts and flags (parameter counts, "the file is a zip", "a prefetch stage")
only appear beside such values. dropout_behaviour is measured: the probe traces the student's
layer and exports the graphs; the verifier runs them on its own input, twice, so a mask drawn once
(a NumPy or fixed-seed mask) is a constant there. Short answers are judged as stated."""
import os
import tempfile
import zipfile

import numpy as np
import tensorflow as tf
import keras

from autograder import Close, Exact, SameSet, SavedModel, hidden_check, load_saved_model

TIGHT = Close(rtol=1e-5, atol=1e-6)


# -- 1. tf.data ----------------------------------------------------------------------------------

def _stages(dataset):
    """The class names of a dataset's transformations, last first (walks the chain of inputs)."""
    names = []
    while isinstance(dataset, tf.data.Dataset) and len(names) < 50:
        names.append(type(dataset).__name__)
        dataset = getattr(dataset, "_input_dataset", None)
    return names


def _two_epochs(make_pipeline, n, shape, batch_size, seed, drop_remainder, data_seed):
    """The batches of two passes over the student's pipeline on hidden uint8 images. The global
    seed is set here: with an op seed, shuffle's order depends on the global seed too."""
    rng = np.random.default_rng(data_seed)
    images = rng.integers(0, 256, size=(n,) + shape, dtype=np.uint8)
    labels = rng.permutation(n).astype(np.int64)  # distinct labels: each tells which image it is
    tf.random.set_seed(9001)
    dataset = make_pipeline(images.copy(), labels.copy(), batch_size, seed, drop_remainder=drop_remainder)
    if not isinstance(dataset, tf.data.Dataset):
        raise TypeError(f"make_pipeline returned a {type(dataset).__name__}, not a tf.data.Dataset")
    xs, ys, sizes, dtypes = [], [], [], set()
    for _ in range(2):
        for x, y in dataset:
            x, y = np.array(x.numpy()), np.array(y.numpy())
            dtypes.add(f"{x.dtype.name} {y.dtype.name}")
            xs.append(x.astype(np.float64))
            ys.append(y.astype(np.int64))
            sizes.append(len(y))
    empty = np.zeros((0,) + shape)
    return {"images": np.concatenate(xs) if xs else empty, "labels": np.concatenate(ys) if ys else np.zeros(0, np.int64),
            "batch_sizes": np.array(sizes, dtype=np.int64), "dtypes": sorted(dtypes),
            "prefetch": any("Prefetch" in name for name in _stages(dataset))}


PIPELINE = {"images": Close(rtol=0, atol=1e-6), "labels": Exact(), "batch_sizes": Exact(), "dtypes": Exact(),
            "prefetch": Exact()}


@hidden_check(compare=PIPELINE)
def pipeline_batches(make_pipeline):
    """29 images in batches of 8 (the last one holds 5), two epochs: the order of each epoch, the
    scaled values and the dtypes."""
    return _two_epochs(make_pipeline, 29, (5, 4), 8, 17, False, 6101)


@hidden_check(compare=PIPELINE)
def pipeline_drop_remainder(make_pipeline):
    """30 images in batches of 7 with drop_remainder=True: four batches an epoch, two images dropped."""
    return _two_epochs(make_pipeline, 30, (3, 3), 7, 5, True, 6201)


@hidden_check(compare={"choices": SameSet()})
def repeat_shuffle_choices(answer):
    return {"choices": sorted(str(choice).strip().lower() for choice in answer)}


# -- 2. EarlyStopping ------------------------------------------------------------------------------

# (losses in 64ths, patience, min_delta in 64ths, restore_best_weights). Multiples of 1/64 are exact
# in float32 and float64, so "lower than best - min_delta" has one answer in either.
_STOPPING_CASES = [
    ([64, 48, 40, 41, 42, 39, 45, 46, 47, 50], 2, 0, False),   # stops at epoch 4
    ([64, 48, 40, 41, 42, 39, 45, 46, 47, 50], 2, 0, True),    # ... and restores epoch 2
    ([64, 56, 52, 48, 47, 46, 45], 2, 4, True),                # a drop of exactly min_delta is no improvement
    ([40, 36, 36, 36, 35], 2, 0, False),                       # equal to the best is no improvement
    ([50, 45, 47, 44, 46, 48], 3, 0, True),                    # never stops: the best (3) restored at the end
    ([50, 45, 47, 44, 46, 48], 3, 0, False),                   # never stops: the last epoch kept
    ([60, 58, 59, 50], 0, 0, True),                            # patience 0
    ([60, 58, 59, 50], 0, 0, False),
    ([64, 60, 62, 63, 59, 61, 62, 63, 64], 3, 0, False),       # waits, recovers, then stops at epoch 7
    ([64, 63, 62, 61, 60, 59, 58, 57], 3, 2, True),            # slow drops: the best is the last counted improvement
    ([30, 31, 29, 33, 34, 28, 35], 1, 0, True),                # patience 1 stops at the first bad epoch
]


def _outcomes(early_stopping_outcome):
    epochs, kept = [], []
    for losses, patience, delta, restore in _STOPPING_CASES:
        result = early_stopping_outcome([v / 64 for v in losses], patience, min_delta=delta / 64,
                                        restore_best_weights=restore)
        epochs.append(int(result[0]))
        kept.append(int(result[1]))
    return np.array(epochs, dtype=np.int64), np.array(kept, dtype=np.int64)


@hidden_check(compare={"epochs_run": Exact()})
def early_stopping_epochs(early_stopping_outcome):
    """How many epochs ran, for each hidden sequence."""
    return {"epochs_run": _outcomes(early_stopping_outcome)[0]}


@hidden_check(compare={"kept_epoch": Exact()})
def early_stopping_weights(early_stopping_outcome):
    """Whose weights the model holds at the end, for each hidden sequence."""
    return {"kept_epoch": _outcomes(early_stopping_outcome)[1]}


# -- 3. callbacks and schedules ----------------------------------------------------------------------

@hidden_check(compare={"first_fit": Close(rtol=1e-4, atol=1e-6), "second_fit": Close(rtol=1e-4, atol=1e-6)})
def batch_recorder(BatchRecorder):
    """A linear model fitted on 45 hidden samples in batches of 10 (the last holds 5): 2 epochs, then
    1 more epoch with the same recorder. The recorded running means, in order."""
    rng = np.random.default_rng(6301)
    x = rng.normal(size=(45, 3)).astype("float32")
    y = (x @ np.array([[1.5], [-2.0], [0.5]]) + rng.normal(scale=0.3, size=(45, 1))).astype("float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.get_weights()])
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", jit_compile=False)
    recorder = BatchRecorder()
    model.fit(x, y, batch_size=10, epochs=2, shuffle=False, verbose=0, callbacks=[recorder])
    first = [float(v) for v in recorder.losses]
    model.fit(x, y, batch_size=10, epochs=1, shuffle=False, verbose=0, callbacks=[recorder])
    second = [float(v) for v in recorder.losses]
    return {"first_fit": np.array(first, dtype=np.float64), "second_fit": np.array(second, dtype=np.float64)}


@hidden_check(compare={"direct": Close(rtol=1e-6, atol=0), "driven": Close(rtol=1e-6, atol=0)})
def step_decay_schedule(step_decay):
    """The schedule called for epochs 0-12 (given a decoy current rate), and the learning rates a
    LearningRateScheduler sets on an optimizer at the start of epochs 0-8."""
    schedule = step_decay(0.3, 0.4, 3)
    direct = [float(schedule(epoch, 0.0123)) for epoch in range(13)]
    other = step_decay(0.02, 0.5, 2)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.02), loss="mse")
    scheduler = keras.callbacks.LearningRateScheduler(other)
    scheduler.set_model(model)
    driven = []
    for epoch in range(9):
        scheduler.on_epoch_begin(epoch)
        driven.append(float(keras.ops.convert_to_numpy(model.optimizer.learning_rate)))
    return {"direct": np.array(direct), "driven": np.array(driven)}


# -- 4. saving -----------------------------------------------------------------------------------------

_LIMIT = 0.637  # the hidden limit: outputs of the layer fall on both sides of it and of 1.0


def _assign(variable, values):
    variable.assign(np.reshape(values, tuple(variable.shape)).astype("float32"))


@hidden_check(compare={"outputs_2d": Close(rtol=1e-6, atol=1e-6), "outputs_3d": Close(rtol=1e-6, atol=1e-6)})
def clipped_scale_forward(ClippedScale):
    rng = np.random.default_rng(6401)
    layer = ClippedScale(limit=_LIMIT)
    layer.build((None, 6))
    _assign(layer.scale, rng.uniform(-1.5, 1.5, size=6))
    x2 = rng.normal(scale=1.2, size=(10, 6)).astype("float32")
    x3 = rng.normal(scale=1.2, size=(2, 4, 6)).astype("float32")
    other = ClippedScale(limit=2.5)
    other.build((None, 4, 6))
    _assign(other.scale, rng.uniform(0.5, 3.0, size=6))
    return {"outputs_2d": np.asarray(layer(x2)), "outputs_3d": np.stack([np.asarray(layer(x3)), np.asarray(other(x3))])}


def _clipped_layers(model):
    return [layer for layer in model.layers if type(layer).__name__ == "ClippedScale"]


@hidden_check(compare={"output_change": Close(rtol=0, atol=1e-6), "reload_change": Close(rtol=0, atol=1e-6),
                       "stored_weights": Close(rtol=0, atol=1e-7), "limits": Close(rtol=1e-9, atol=0),
                       "keras_zip": Exact()})
def keras_round_trip(ClippedScale, save_and_reload):
    """A model with a ClippedScale (hidden limit and weights) saved into a temporary folder by the
    student's save_and_reload. Judged: the returned model's outputs minus the original's (zero: a
    wrong forward pass is Task 4a's), the same for the probe's own load of the saved file, the
    weights stored in that file (hidden values) and the limit of both loaded layers."""
    rng = np.random.default_rng(6501)
    keras.utils.set_random_seed(6501)
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(6), ClippedScale(limit=_LIMIT),
                              keras.layers.Dense(2)])
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.get_weights()])
    x = rng.normal(size=(12, 5)).astype("float32")
    original = np.asarray(model(x))
    with tempfile.TemporaryDirectory(prefix="keras-workflow-") as folder:
        loaded = save_and_reload(model, folder)
        path = os.path.join(folder, "model.keras")
        is_zip = os.path.isfile(path) and zipfile.is_zipfile(path)
        again = keras.models.load_model(path, custom_objects={"ClippedScale": ClippedScale})
    limits = [float(getattr(layer, "limit", np.nan)) for m in (loaded, again) for layer in _clipped_layers(m)]
    return {"output_change": np.asarray(loaded(x)) - original, "reload_change": np.asarray(again(x)) - original,
            "stored_weights": np.concatenate([np.ravel(w) for w in again.get_weights()]).astype(np.float64),
            "limits": np.array(limits, dtype=np.float64), "keras_zip": bool(is_zip)}


# -- 5. transfer learning ------------------------------------------------------------------------------

def _build_base(seed, n_inputs, hidden, n_features):
    """The notebook's build_base with a second BatchNormalization at the end (a base may hold several)."""
    keras.utils.set_random_seed(seed)
    return keras.Sequential([keras.Input((n_inputs,)), keras.layers.Dense(hidden, activation="relu"),
                             keras.layers.BatchNormalization(), keras.layers.Dense(n_features, activation="relu"),
                             keras.layers.BatchNormalization()], name="base")


def _pretrained_base(seed, n_inputs=5, hidden=12, n_features=7, steps=8):
    """A base trained in training mode on made-up data, as the notebook's pretrain does, with a
    lower momentum so that the moving statistics end far from 0 and 1. Returns the base and its
    BatchNormalization layers."""
    base = _build_base(seed, n_inputs, hidden, n_features)
    rng = np.random.default_rng(seed)
    head = keras.layers.Dense(1)
    optimizer = keras.optimizers.SGD(0.01)
    norms = [layer for layer in base.layers if isinstance(layer, keras.layers.BatchNormalization)]
    for layer in norms:
        layer.momentum = 0.5
    for _ in range(steps):
        x = rng.normal(1.0, 2.0, size=(32, n_inputs)).astype("float32")
        y = x.sum(axis=1, keepdims=True)
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(head(base(x, training=True)) - y))
        variables = base.trainable_variables + head.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    for layer in norms:
        layer.momentum = 0.99
    return base, norms


def _moving(norms):
    return _flat([v for layer in norms for v in (layer.moving_mean, layer.moving_variance)])


def _flat(variables):
    return np.concatenate([np.ravel(np.asarray(v)) for v in variables]).astype(np.float64)


def _set_head(model, base, rng):
    """Hidden values for the variables the student's model adds to the base (the head)."""
    base_ids = {id(v) for v in base.weights}
    for variable in model.weights:
        if id(variable) not in base_ids:
            variable.assign(rng.normal(scale=0.5, size=tuple(variable.shape)).astype("float32"))


def _train_steps(model, x, y, steps=3, lr=0.05):
    """Plain SGD steps on the model's trainable variables, the model called with training=True
    (as fit() calls it); returns the losses."""
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    optimizer = keras.optimizers.SGD(lr)
    losses = []
    for _ in range(steps):
        variables = model.trainable_variables
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        losses.append(float(loss))
    return np.array(losses)


def _count(weights):
    return int(sum(int(np.prod(w.shape)) for w in weights))


@hidden_check(compare={"counts": Exact(), "base_change": Close(rtol=0, atol=1e-7), "losses": TIGHT,
                       "predictions": TIGHT})
def transfer_frozen(make_transfer_model):
    """The frozen model: parameter counts, the whole base (weights and moving statistics) after three
    training steps (unchanged), the losses of those steps and the predictions after them."""
    rng = np.random.default_rng(6601)
    base, _ = _pretrained_base(6601)
    before = _flat(base.weights)
    model = make_transfer_model(base, 4)
    counts = [_count(model.trainable_weights), _count(model.non_trainable_weights)]
    _set_head(model, base, rng)
    x = rng.normal(1.0, 2.0, size=(24, 5)).astype("float32")
    y = rng.integers(0, 4, size=24).astype("int32")
    losses = _train_steps(model, x, y)
    return {"counts": np.array(counts, dtype=np.int64), "base_change": _flat(base.weights) - before,
            "losses": losses, "predictions": np.asarray(model(x[:10], training=False))}


def _reference_transfer_model(base, n_classes):
    """The reference make_transfer_model (Task 5a), so that Task 5b is judged on its own."""
    base.trainable = False
    inputs = keras.Input(shape=base.input_shape[1:])
    outputs = keras.layers.Dense(n_classes)(base(inputs, training=False))
    return keras.Model(inputs, outputs)


@hidden_check(compare={"trainable": Exact(), "training_mode": TIGHT, "losses": TIGHT, "predictions": TIGHT,
                       "moving_change": Close(rtol=0, atol=1e-7)})
def fine_tune_bn_inference(unfreeze_for_fine_tuning):
    """Fine-tuning a reference transfer model after the student's unfreeze_for_fine_tuning(base): the
    trainable parameter count, the output in training mode, three training steps (losses, then
    predictions) and the change of the moving statistics (none while BatchNormalization stays frozen).
    The inputs have other statistics than the pretraining data, so batch statistics differ from the
    moving ones."""
    rng = np.random.default_rng(6701)
    base, norms = _pretrained_base(6701)
    model = _reference_transfer_model(base, 3)
    unfreeze_for_fine_tuning(base)
    _set_head(model, base, rng)
    moving = _moving(norms)
    x = rng.normal(0.0, 3.0, size=(16, 5)).astype("float32")
    y = rng.integers(0, 3, size=16).astype("int32")
    trainable = _count(model.trainable_weights)
    training_mode = np.asarray(model(x, training=True))
    losses = _train_steps(model, x, y, lr=0.01)
    return {"trainable": trainable, "training_mode": training_mode, "losses": losses,
            "predictions": np.asarray(model(x, training=False)),
            "moving_change": _moving(norms) - moving}


@hidden_check(compare={"frozen": Exact(), "fine_tune": Exact(), "all_trainable": Exact()})
def param_counts(frozen, fine_tune, all_trainable):
    return {name: np.array([int(v) for v in counts], dtype=np.int64)
            for name, counts in (("frozen", frozen), ("fine_tune", fine_tune), ("all_trainable", all_trainable))}


# -- 6. dropout -----------------------------------------------------------------------------------

_RATES = (0.2, 0.7)
_SPEC = tf.TensorSpec([None, None], tf.float32)


def _entry(layer, training):
    @tf.function(input_signature=[_SPEC])
    def run(x):
        return layer(x, training=training)
    return run


def _measure_dropout(exported):
    """Runs the exported training and inference graphs (no student code) on an input chosen here:
    positive values, so a 0 in the output means a dropped element."""
    loaded = load_saved_model(exported["model"])
    x = np.random.default_rng(6801).uniform(0.5, 2.0, size=(250, 200)).astype("float32")
    inference, restored, kept_error, differ_error = [], [], [], []
    for i, rate in enumerate(_RATES):
        train, infer = getattr(loaded, f"train_{i}"), getattr(loaded, f"infer_{i}")
        first, second = np.asarray(train(tf.constant(x))), np.asarray(train(tf.constant(x)))
        inference.append(np.asarray(infer(tf.constant(x))))
        kept_first, kept_second = first != 0, second != 0
        restored.append(np.where(kept_first, first * (1.0 - rate), x))
        kept_error.append(kept_first.mean() - (1.0 - rate))
        differ_error.append(np.mean(kept_first != kept_second) - 2.0 * rate * (1.0 - rate))
    return {"inference": np.stack(inference), "restored": np.stack(restored),
            "kept_share_error": np.array(kept_error), "calls_differ_error": np.array(differ_error)}


# With 50,000 elements the shares' standard deviations are at most 0.0023: 0.02 is more than 6 of
# them for the difference of two honest layers; a fixed mask is 0.32 off, a kept share of `rate`
# instead of 1 - rate 0.4.
@hidden_check(compare={"inference": Close(rtol=0, atol=1e-6), "restored": Close(rtol=1e-5, atol=1e-6),
                       "kept_share_error": Close(rtol=0, atol=0.02),
                       "calls_differ_error": Close(rtol=0, atol=0.02)},
              measure=_measure_dropout)
def dropout_behaviour(InvertedDropout):
    """Exports the layer (two rates) traced in training and in inference mode, with the variables
    its graphs capture (a SeedGenerator's state, for example)."""
    holder = tf.Module()
    holder.layers, captured = [], []
    for i, rate in enumerate(_RATES):
        layer = InvertedDropout(rate)
        train, infer = _entry(layer, True), _entry(layer, False)
        captured += [v for f in (train, infer) for v in f.get_concrete_function().variables]
        setattr(holder, f"train_{i}", train)
        setattr(holder, f"infer_{i}", infer)
        holder.layers.append(layer)
    holder.captured = captured
    return {"model": SavedModel(holder)}
