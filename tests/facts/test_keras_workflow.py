"""keras_workflow: what the notebook states about tf.data, EarlyStopping, batch logs, schedules,
saving, freezing, BatchNormalization and dropout is what TensorFlow 2.21 / Keras 3 do, and the
reference solution agrees with Keras's own fit() where it imitates it."""
import importlib.util
import os
import tempfile

import numpy as np
import pytest

from conftest import REPO

ASSIGNMENT = "keras_workflow"
# Keras's own code converts variables with np.array(x, copy=False) in fit() and save(); NumPy 2
# warns about TensorFlow's __array__, which is not ours to fix.
KERAS_NUMPY_WARNING = pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword")
tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")


def _checks_module():
    """grading/keras_workflow/checks.py, for its hidden early-stopping cases."""
    spec = importlib.util.spec_from_file_location("_keras_workflow_checks", REPO / "grading" / ASSIGNMENT / "checks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _order(dataset):
    return [int(v) for v in dataset.as_numpy_iterator()]


def test_repeat_and_shuffle_statements(solution):
    tf.random.set_seed(0)
    n, ds = 10, tf.data.Dataset.range(10)
    after = _order(ds.shuffle(n, seed=1).repeat(2))
    assert sorted(after[:n]) == list(range(n)) and sorted(after[n:]) == list(range(n))  # a: true
    assert after[:n] != after[n:]                                                       # c: false
    before = [_order(ds.repeat(2).shuffle(n, seed=seed))[:n] for seed in range(1, 6)]
    assert any(sorted(first) != list(range(n)) for first in before)                    # b: true
    assert _order(ds.shuffle(1, seed=3)) == list(range(n))                              # e: true
    assert solution["REPEAT_SHUFFLE_TRUE"] == {"a", "b", "e"}


def test_pipeline_order_of_map_and_shuffle_does_not_matter(solution):
    images = np.arange(11 * 2, dtype="uint8").reshape(11, 2)
    labels = np.arange(11)
    tf.random.set_seed(4)
    ours = [y.numpy().tolist() for _, y in solution["make_pipeline"](images, labels, 3, seed=2)]
    tf.random.set_seed(4)
    shuffled_first = tf.data.Dataset.from_tensor_slices((images, labels)).shuffle(11, seed=2).batch(3)
    assert ours == [y.numpy().tolist() for _, y in shuffled_first]


class _InjectValidationLoss(keras.callbacks.Callback):
    """Stands in for validation: writes the given loss into the epoch's logs (EarlyStopping, next in
    the list, reads the same dict) and sets the weight to the epoch number."""

    def __init__(self, losses):
        super().__init__()
        self.losses = losses

    def on_epoch_end(self, epoch, logs=None):
        logs["val_loss"] = self.losses[epoch]
        self.model.set_weights([np.full((1, 1), epoch, dtype="float32")])


def _fit_outcome(losses, patience, min_delta, restore):
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, use_bias=False)])
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    stopper = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, min_delta=min_delta,
                                            restore_best_weights=restore)
    history = model.fit(np.zeros((4, 1), "float32"), np.zeros((4, 1), "float32"), epochs=len(losses), verbose=0,
                        callbacks=[_InjectValidationLoss(losses), stopper])
    return len(history.history["loss"]), int(round(float(model.get_weights()[0][0, 0])))


@KERAS_NUMPY_WARNING
def test_early_stopping_outcomes_equal_keras_fit(solution):
    """The hidden cases, including a run that never stops with restore_best_weights=True (Keras 3
    restores the best weights at the end anyway) and a drop of exactly min_delta (no improvement)."""
    for losses, patience, delta, restore in _checks_module()._STOPPING_CASES:
        values = [v / 64 for v in losses]
        assert solution["early_stopping_outcome"](values, patience, delta / 64, restore) == \
            _fit_outcome(values, patience, delta / 64, restore), (losses, patience, delta, restore)


@KERAS_NUMPY_WARNING
def test_batch_logs_hold_the_running_mean_of_the_epoch(solution):
    x = np.random.default_rng(0).normal(size=(20, 2)).astype("float32")
    y = np.random.default_rng(1).normal(size=(20, 1)).astype("float32")
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")  # no update: every batch loss is fixed
    recorder = solution["BatchRecorder"]()
    model.fit(x, y, batch_size=5, epochs=2, shuffle=False, verbose=0, callbacks=[recorder])
    batch_losses = [float(np.mean((np.asarray(model(x[i:i + 5])) - y[i:i + 5]) ** 2)) for i in range(0, 20, 5)]
    running = list(np.cumsum(batch_losses) / np.arange(1, 5))
    np.testing.assert_allclose(recorder.losses, running * 2, rtol=1e-5)


@KERAS_NUMPY_WARNING
def test_learning_rate_scheduler_sets_the_schedule(solution):
    seen = []

    class Reader(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            seen.append(float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate)))

    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="mse")
    schedule = solution["step_decay"](0.1, 0.5, 2)
    model.fit(np.zeros((2, 1), "float32"), np.zeros((2, 1), "float32"), epochs=5, verbose=0,
              callbacks=[keras.callbacks.LearningRateScheduler(schedule), Reader()])
    np.testing.assert_allclose(seen, [0.1, 0.1, 0.05, 0.05, 0.025], rtol=1e-6)


@KERAS_NUMPY_WARNING
def test_keras_file_round_trip_keeps_the_limit(solution):
    ClippedScale = solution["ClippedScale"]
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), ClippedScale(limit=0.3)])
    x = np.random.default_rng(2).normal(size=(5, 3)).astype("float32")
    with tempfile.TemporaryDirectory() as folder:
        loaded = solution["save_and_reload"](model, folder)
        assert os.path.isfile(os.path.join(folder, "model.keras"))
    assert loaded is not model and loaded.layers[-1].limit == 0.3
    np.testing.assert_array_equal(np.asarray(loaded(x)), np.asarray(model(x)))


def test_parameter_counts_and_batchnorm_modes(solution):
    """The three count answers; a frozen BatchNormalization runs in inference mode even with
    training=True; and the training=False given while building the functional model does not hold
    once the base is unfrozen (keras-team/keras issue 20285): if Keras changes this, the
    notebook's Part 5 must change too."""
    counts = lambda m: (sum(int(np.prod(w.shape)) for w in m.trainable_weights),
                        sum(int(np.prod(w.shape)) for w in m.non_trainable_weights))
    x = np.random.default_rng(3).normal(0.0, 3.0, size=(16, 6)).astype("float32")

    base = solution["pretrain"](solution["build_base"]())
    model = solution["make_transfer_model"](base, 3)
    assert counts(model) == solution["FROZEN_COUNTS"]
    np.testing.assert_allclose(np.asarray(model(x, training=True)), np.asarray(model(x, training=False)), rtol=1e-6)

    solution["unfreeze_for_fine_tuning"](base)
    assert counts(model) == solution["FINE_TUNE_COUNTS"]
    np.testing.assert_allclose(np.asarray(model(x, training=True)), np.asarray(model(x, training=False)), rtol=1e-6)

    base.trainable = False
    base.trainable = True
    assert counts(model) == solution["ALL_TRAINABLE_COUNTS"]
    gap = np.abs(np.asarray(model(x, training=True)) - np.asarray(model(x, training=False))).max()
    assert gap > 1e-2, "training=False at construction now holds after unfreezing: update Part 5"


def test_keras_dropout_is_inverted_and_drawn_per_call(solution):
    x = np.ones((200, 100), "float32")
    for layer in (keras.layers.Dropout(0.3), solution["InvertedDropout"](0.3)):
        first, second = np.asarray(layer(x, training=True)), np.asarray(layer(x, training=True))
        np.testing.assert_allclose(np.unique(first), [0.0, 1 / 0.7], rtol=1e-6)
        assert abs((first != 0).mean() - 0.7) < 0.02
        assert abs(((first != 0) != (second != 0)).mean() - 2 * 0.3 * 0.7) < 0.02
        np.testing.assert_array_equal(np.asarray(layer(x, training=False)), x)


def test_integer_seed_gives_the_same_mask_every_call():
    x = np.ones((50, 40), "float32")
    assert np.array_equal(np.asarray(keras.random.dropout(x, 0.5, seed=3)), np.asarray(keras.random.dropout(x, 0.5, seed=3)))


def test_the_study_notes_apis_are_gone():
    """Question 8's model answer: no fit_generator in Keras 3, placeholders and sessions only under
    tf.compat.v1."""
    assert not hasattr(keras.Model, "fit_generator")
    assert not hasattr(tf, "placeholder") and not hasattr(tf, "Session")
    assert hasattr(tf.compat.v1, "placeholder") and hasattr(tf.compat.v1, "Session")
