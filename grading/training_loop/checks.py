"""Hidden checks for training_loop. The probes train the student's code on real Fashion-MNIST
images chosen here (other images, seeds and learning rates than the notebook's) and return
what came out: weights after some steps, per-epoch histories, a validation accuracy."""
import functools

import numpy as np
import keras

from autograder import AtLeast, Close, Exact, SameSet, hidden_check

SGD, Adam = keras.optimizers.SGD, keras.optimizers.Adam


@functools.lru_cache(maxsize=1)
def _fashion_mnist():
    (x, y), _ = keras.datasets.fashion_mnist.load_data()
    return x, y


def _sample(seed, n):
    """n training images and labels picked at random (seeded), as float32 in [0, 1] and int32."""
    x, y = _fashion_mnist()
    index = np.random.default_rng(seed).choice(len(x), size=n, replace=False)
    return x[index].astype("float32") / 255.0, y[index].astype("int32")


def _loss_of(result):
    """train_step returns (loss, logits); take the loss."""
    return result[0] if isinstance(result, (tuple, list)) else result


@hidden_check(compare={"x": Close(rtol=0, atol=1e-6), "x_dtype": Exact(), "x_shape": Exact(),
                       "y": Exact(), "y_dtype": Exact()})
def prepare_scales_images(prepare):
    images, labels = _fashion_mnist()
    index = np.random.default_rng(8101).choice(len(images), size=64, replace=False)
    x, y = prepare(images[index].copy(), labels[index].copy())
    x, y = np.asarray(x), np.asarray(y)
    return {"x": x.astype("float64"), "x_dtype": str(x.dtype), "x_shape": list(x.shape),
            "y": y.astype("int64"), "y_dtype": str(y.dtype)}


@hidden_check(compare={"lower": Exact(), "output": Exact()})
def split_variables_by_layer(split_variables, build_model):
    model = build_model(seed=3, hidden=(32, 16))
    lower, output = split_variables(model)
    position = {id(v): i for i, v in enumerate(model.trainable_variables)}
    return {"lower": sorted(position.get(id(v), -1) for v in lower),
            "output": sorted(position.get(id(v), -1) for v in output)}


@hidden_check(compare={"sgd_losses": Close(rtol=1e-4, atol=1e-5), "sgd_weights": Close(rtol=1e-4, atol=1e-5),
                       "adam_losses": Close(rtol=1e-4, atol=1e-5), "adam_weights": Close(rtol=1e-4, atol=1e-5),
                       "logits_shape": Exact()})
def train_step_two_optimizers(train_step, build_model):
    x, y = _sample(8303, 5 * 24)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    out = {}
    for name, optimizers in (("sgd", lambda: (SGD(0.05), SGD(0.5))), ("adam", lambda: (Adam(1e-3), Adam(2e-2)))):
        model = build_model(seed=4, hidden=(32,))
        opt_lower, opt_output = optimizers()
        losses = []
        for k in range(5):
            batch = slice(24 * k, 24 * (k + 1))
            result = train_step(model, x[batch], y[batch], loss_fn, opt_lower, opt_output)
            losses.append(float(_loss_of(result)))
        out[f"{name}_losses"] = np.array(losses)
        out[f"{name}_weights"] = np.concatenate([np.ravel(v.numpy()) for v in model.trainable_variables])
    out["logits_shape"] = list(np.shape(result[1])) if isinstance(result, (tuple, list)) and len(result) > 1 else []
    return out


# Accuracies may differ by one flipped prediction between CPUs (1/80 of the validation set);
# a history that is not reset each epoch, or misses an epoch, is off by far more.
@hidden_check(compare={"loss": Close(rtol=1e-3, atol=1e-5), "accuracy": Close(rtol=0, atol=0.013),
                       "val_loss": Close(rtol=1e-3, atol=1e-5), "val_accuracy": Close(rtol=0, atol=0.013),
                       "keys": SameSet()})
def fit_history(fit, build_model):
    x, y = _sample(8404, 330)
    model = build_model(seed=6, hidden=(32,))
    history = fit(model, (x[:250], y[:250]), (x[250:], y[250:]), 3, 32, SGD(0.2), SGD(0.1))
    out = {"keys": sorted(str(k) for k in history)}
    for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
        out[key] = np.asarray([float(v) for v in history.get(key, [])], dtype="float64")
    return out


@hidden_check(compare={"steps": Exact(), "last_batch": Exact()})
def steps_per_epoch(steps, last_batch):
    return {"steps": int(steps), "last_batch": int(last_batch)}


@hidden_check(compare={"val_accuracy": AtLeast(0.72)})
def end_to_end_accuracy(fit, build_model, lr_lower, lr_output):
    images, labels = _fashion_mnist()
    x, y = images.astype("float32") / 255.0, labels.astype("int32")
    model = build_model(seed=9)
    history = fit(model, (x[:5000], y[:5000]), (x[-1000:], y[-1000:]), 3, 100,
                  SGD(float(lr_lower)), SGD(float(lr_output)))
    return {"val_accuracy": float(history["val_accuracy"][-1])}


@hidden_check(compare={"choices": SameSet()})
def custom_loop_choices(answer):
    return {"choices": sorted(str(choice).strip().lower() for choice in answer)}
