"""training_loop: what the notebook says about Keras's own fit is true (the epoch loss it reports is the
mean over images, each batch weighted by its size; the solution's fit reports the same), the steps per
epoch, and the Keras 3 features that answer the "when do you need your own step" question."""
import numpy as np
import pytest

ASSIGNMENT = "training_loop"
keras = pytest.importorskip("keras")


def _data(n=230):
    (x, y), _ = keras.datasets.fashion_mnist.load_data()
    return x[:n].astype("float32") / 255.0, y[:n].astype("int32")


def _batch_losses(model, x, y, batch_size):
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    losses, sizes = [], []
    for start in range(0, len(x), batch_size):
        logits = model(x[start:start + batch_size], training=True)
        losses.append(float(loss_fn(y[start:start + batch_size], logits)))
        sizes.append(len(x[start:start + batch_size]))
    return np.array(losses), np.array(sizes)


def test_keras_fit_weights_each_batch_loss_by_its_size(solution):
    x, y = _data()  # 7 batches of 32 and one of 6
    model = solution["build_model"](seed=1)
    model.compile(optimizer=keras.optimizers.SGD(0.0),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    reported = model.fit(x, y, batch_size=32, epochs=1, shuffle=False, verbose=0).history["loss"][0]
    losses, sizes = _batch_losses(model, x, y, 32)  # a learning rate of 0: the weights never moved
    weighted, unweighted = np.average(losses, weights=sizes), losses.mean()
    assert reported == pytest.approx(weighted, rel=1e-5)
    assert abs(reported - unweighted) > 100 * 1e-5 * abs(weighted)


def test_the_solution_fit_reports_the_loss_keras_fit_reports(solution):
    x, y = _data()
    sgd = keras.optimizers.SGD
    model = solution["build_model"](seed=1)
    ours = solution["fit"](model, (x, y), (x[:50], y[:50]), 1, 32, sgd(0.0), sgd(0.0))["loss"][0]
    model.compile(optimizer=sgd(0.0), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    theirs = model.fit(x, y, batch_size=32, epochs=1, shuffle=False, verbose=0).history["loss"][0]
    assert ours == pytest.approx(theirs, rel=1e-5)


def test_steps_per_epoch_and_last_batch(solution, monkeypatch):
    calls = []

    def counting_step(model, x, y, loss_fn, opt_lower, opt_output):
        calls.append(len(x))
        return 0.0, np.zeros((len(x), 10), dtype="float32")

    x, y = np.zeros((5000, 28, 28), "float32"), np.zeros(5000, "int32")
    monkeypatch.setitem(solution, "train_step", counting_step)
    solution["fit"](solution["build_model"](), (x, y), (x[:10], y[:10]), 1, 128, None, None)
    assert (len(calls), calls[-1]) == (solution["STEPS_PER_EPOCH"], solution["LAST_BATCH_SIZE"]) == (40, 8)


def test_keras3_does_with_built_in_arguments_what_the_choices_call_obsolete():
    """c: MultiOptimizer routes variables to optimizers; d: global_clipnorm; e: gradient accumulation."""
    assert hasattr(keras.optimizers, "MultiOptimizer")
    optimizer = keras.optimizers.SGD(0.1, global_clipnorm=1.0, gradient_accumulation_steps=4)
    assert optimizer.global_clipnorm == 1.0 and optimizer.gradient_accumulation_steps == 4
