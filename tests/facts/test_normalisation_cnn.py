"""normalisation_cnn: the reference solution computes what Keras 3 computes (batch normalisation in
both modes with its moving statistics, group normalisation, the axes each normalisation reduces over,
convolution/pooling output sizes, the LeNet-5 parameter count, the residual block), and the numbers
the prompts state are true."""
import numpy as np
import pytest

ASSIGNMENT = "normalisation_cnn"

keras = pytest.importorskip("keras")


def _batch(rng, shape, means, scales):
    return (rng.normal(size=shape) * np.asarray(scales) + np.asarray(means)).astype("float32")


def test_keras_batchnorm_defaults_and_biased_moving_variance():
    layer = keras.layers.BatchNormalization()
    assert layer.momentum == 0.99 and layer.epsilon == 1e-3
    x = _batch(np.random.default_rng(0), (3, 2, 2, 2), means=[1.0, -2.0], scales=[2.0, 0.5])
    layer(x, training=True)
    biased = x.var(axis=(0, 1, 2))
    expected = 0.99 * 1.0 + 0.01 * biased
    np.testing.assert_allclose(np.asarray(layer.moving_variance), expected, rtol=1e-6)
    unbiased = 0.99 + 0.01 * x.var(axis=(0, 1, 2), ddof=1)
    assert np.abs(np.asarray(layer.moving_variance) - unbiased).min() > 1e-4


@pytest.mark.parametrize("shape,momentum,epsilon", [((6, 4, 4, 3), 0.99, 1e-3), ((10, 5), 0.9, 0.5),
                                                      ((4, 7, 2), 0.99, 1e-3)])
def test_batchnorm_equals_keras(solution, shape, momentum, epsilon):
    rng = np.random.default_rng(1)
    c = shape[-1]
    ours = solution["BatchNorm"](c, momentum=momentum, epsilon=epsilon)
    theirs = keras.layers.BatchNormalization(momentum=momentum, epsilon=epsilon)
    theirs.build(shape)
    gamma, beta = rng.uniform(0.5, 2.0, c), rng.normal(size=c)
    ours.gamma, ours.beta = gamma, beta
    theirs.gamma.assign(gamma.astype("float32"))
    theirs.beta.assign(beta.astype("float32"))
    scales = rng.uniform(0.01, 4.0, c)  # includes near-constant channels where epsilon matters
    for step in range(5):
        x = _batch(rng, shape, rng.uniform(-5, 5, c) + step, scales)
        np.testing.assert_allclose(ours(x, training=True), np.asarray(theirs(x, training=True)), rtol=1e-4, atol=1e-4)
        np.testing.assert_allclose(ours.moving_mean, np.asarray(theirs.moving_mean), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(ours.moving_variance, np.asarray(theirs.moving_variance), rtol=1e-5, atol=1e-6)
    x = _batch(rng, shape, rng.uniform(-5, 5, c), scales)
    before = np.asarray(theirs.moving_mean).copy()
    np.testing.assert_allclose(ours(x, training=False), np.asarray(theirs(x, training=False)), rtol=1e-4, atol=1e-4)
    np.testing.assert_array_equal(np.asarray(theirs.moving_mean), before)  # inference updates nothing


def test_moving_mean_lag_numbers(solution):
    layer = keras.layers.BatchNormalization()
    x = np.array([[4.0], [6.0]], dtype="float32")  # channel mean exactly 5
    for _ in range(100):
        layer(x, training=True)
    np.testing.assert_allclose(float(np.asarray(layer.moving_mean)[0]), solution["BN_MEAN_AFTER_100"], rtol=1e-4)
    ours = solution["BatchNorm"](1)
    steps = 0
    while ours.moving_mean[0] < 4.95:
        ours(x, training=True)
        steps += 1
    assert steps == solution["BN_STEPS_TO_99_PERCENT"] == 459
    assert abs((1 - 0.99 ** 50) - 0.39) < 0.01  # the free-text answer's number


def _normalised(x, axes, eps=1e-3):
    mean = x.mean(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(x.var(axis=axes, keepdims=True) + eps)


def test_normalisation_axes_against_keras(solution):
    x = _batch(np.random.default_rng(2), (3, 4, 5, 6), means=np.arange(6.0), scales=np.linspace(0.5, 3, 6))
    x64 = x.astype(np.float64)
    bn = keras.layers.BatchNormalization()
    np.testing.assert_allclose(np.asarray(bn(x, training=True)), _normalised(x64, solution["BN_AXES"]), atol=1e-4)
    ln = keras.layers.LayerNormalization()  # default axis=-1
    np.testing.assert_allclose(np.asarray(ln(x)), _normalised(x64, solution["KERAS_LN_DEFAULT_AXES"]), atol=1e-4)
    assert np.abs(np.asarray(ln(x)) - _normalised(x64, solution["LN_AXES"])).max() > 0.1
    ln_paper = keras.layers.LayerNormalization(axis=[1, 2, 3])
    np.testing.assert_allclose(np.asarray(ln_paper(x)), _normalised(x64, solution["LN_AXES"]), atol=1e-4)
    # group norm with one group is layer norm, with one channel per group instance norm
    np.testing.assert_allclose(np.asarray(keras.layers.GroupNormalization(groups=1)(x)),
                               _normalised(x64, solution["LN_AXES"]), atol=1e-4)
    np.testing.assert_allclose(np.asarray(keras.layers.GroupNormalization(groups=6)(x)),
                               _normalised(x64, solution["IN_AXES"]), atol=1e-4)


@pytest.mark.parametrize("groups", [1, 2, 3, 6])
def test_group_norm_equals_keras(solution, groups):
    rng = np.random.default_rng(3)
    x = _batch(rng, (2, 4, 3, 6), means=rng.uniform(-4, 4, 6), scales=rng.uniform(0.1, 3, 6))
    gamma, beta = rng.uniform(0.5, 2, 6), rng.normal(size=6)
    layer = keras.layers.GroupNormalization(groups=groups)
    assert layer.epsilon == 1e-3
    layer.build(x.shape)
    layer.set_weights([gamma.astype("float32"), beta.astype("float32")])
    np.testing.assert_allclose(solution["group_norm"](x, groups, gamma, beta), np.asarray(layer(x)),
                               rtol=1e-4, atol=1e-4)


def test_out_size_equals_keras_conv_and_pool(solution):
    out_size = solution["out_size"]
    x_cache = {}
    for n in range(1, 9):
        x = x_cache.setdefault(n, np.zeros((1, n, n, 1), dtype="float32"))
        for k in range(1, 5):
            for s in range(1, 4):
                for padding in ("valid", "same"):
                    expected = out_size(n, k, s, padding)
                    conv = keras.layers.Conv2D(1, k, strides=s, padding=padding)
                    if expected == 0:
                        assert padding == "valid" and k > n
                        with pytest.raises(ValueError):
                            conv(x)
                        continue
                    assert conv(x).shape[1:3] == (expected, expected), (n, k, s, padding)
                    for pool in (keras.layers.MaxPooling2D(k, strides=s, padding=padding),
                                 keras.layers.AveragePooling2D(k, strides=s, padding=padding)):
                        assert pool(x).shape[1:3] == (expected, expected), (n, k, s, padding)
    # larger cases and the pooling default strides = pool size
    for n, k, s in [(224, 7, 2), (227, 11, 4), (33, 2, 2), (64, 4, 3)]:
        for padding in ("valid", "same"):
            shape = keras.layers.Conv2D(1, k, strides=s, padding=padding).compute_output_shape((1, n, n, 1))
            assert shape[1] == out_size(n, k, s, padding)
    assert keras.layers.MaxPooling2D(2).strides == (2, 2)
    assert keras.layers.MaxPooling2D(2)(np.zeros((1, 26, 26, 1), "float32")).shape[1] == 13


def test_same_padding_puts_the_odd_zero_at_the_end():
    # length 4, kernel 2, stride 1: one zero of padding; the last output sees x[3] and a zero after it
    conv = keras.layers.Conv1D(1, 2, padding="same", use_bias=False)
    conv.build((1, 4, 1))
    conv.set_weights([np.array([[[1.0]], [[10.0]]], dtype="float32")])
    out = np.asarray(conv(np.array([[[1.0], [2.0], [3.0], [4.0]]], dtype="float32"))).ravel()
    np.testing.assert_array_equal(out, [21.0, 32.0, 43.0, 4.0])


def test_lenet5_count_equals_keras(solution):
    L = keras.layers
    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        L.Conv2D(6, kernel_size=3, strides=1), L.MaxPooling2D(pool_size=2, strides=2), L.ReLU(),
        L.Conv2D(16, kernel_size=3, strides=1), L.MaxPooling2D(pool_size=2, strides=2), L.ReLU(),
        L.Flatten(), L.Dense(120, activation="relu"), L.Dense(84, activation="relu"), L.Dense(10),
    ])
    per_layer = [layer.count_params() for layer in model.layers if layer.weights]
    assert per_layer == list(solution["LENET5_LAYER_PARAMS"])
    assert model.count_params() == solution["LENET5_TOTAL_PARAMS"] == 60074


def _reference_block(x, filters, stride, weights, training):
    """The block of the prompt from stock Keras layers (functional), with the given weights."""
    L = keras.layers
    inputs = keras.Input(x.shape[1:])
    y = L.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False, name="conv1")(inputs)
    y = L.ReLU()(L.BatchNormalization(name="bn1")(y))
    y = L.BatchNormalization(name="bn2")(L.Conv2D(filters, 3, padding="same", use_bias=False, name="conv2")(y))
    shortcut = inputs
    if "shortcut_conv" in weights:
        shortcut = L.Conv2D(filters, 1, strides=stride, use_bias=False, name="shortcut_conv")(inputs)
        shortcut = L.BatchNormalization(name="shortcut_bn")(shortcut)
    model = keras.Model(inputs, L.ReLU()(L.Add()([y, shortcut])))
    for name, values in weights.items():
        model.get_layer(name).set_weights(values)
    return np.asarray(model(x, training=training))


@pytest.mark.parametrize("shape,filters,stride", [((2, 6, 6, 8), 8, 1), ((2, 7, 7, 4), 8, 2), ((1, 5, 5, 6), 4, 1),
                                                  ((1, 10, 10, 3), 6, 3)])
def test_basic_block(solution, shape, filters, stride):
    rng = np.random.default_rng(4)
    block = solution["BasicBlock"](filters, stride=stride)
    out = block(np.zeros(shape, dtype="float32"))
    side = -(-shape[1] // stride)
    assert tuple(out.shape) == (shape[0], side, side, filters)
    identity = stride == 1 and shape[-1] == filters
    assert (block.shortcut_conv is None) == identity
    c = shape[-1]
    trainable = 9 * c * filters + 9 * filters * filters + 2 * 2 * filters + (0 if identity else c * filters + 2 * filters)
    non_trainable = 2 * 2 * filters + (0 if identity else 2 * filters)
    assert sum(int(np.prod(w.shape)) for w in block.trainable_weights) == trainable
    assert sum(int(np.prod(w.shape)) for w in block.non_trainable_weights) == non_trainable
    assert block.count_params() == trainable + non_trainable

    weights = {}
    for name in ("conv1", "bn1", "conv2", "bn2", "shortcut_conv", "shortcut_bn"):
        layer = getattr(block, name)
        if layer is None:
            continue
        if name.startswith(("bn", "shortcut_bn")):
            f = layer.get_weights()[0].shape
            values = [rng.uniform(0.5, 1.5, f), rng.normal(0, 0.2, f), rng.normal(0, 0.2, f), rng.uniform(0.5, 1.5, f)]
        else:
            values = [rng.normal(0, 0.3, w.shape) for w in layer.get_weights()]
        values = [v.astype("float32") for v in values]
        layer.set_weights(values)
        weights[name] = values
    x = rng.normal(size=shape).astype("float32")
    for training in (False, True):
        np.testing.assert_allclose(np.asarray(block(x, training=training)),
                                   _reference_block(x, filters, stride, weights, training), rtol=1e-4, atol=1e-4)


def test_conv_bias_before_batchnorm_cancels_in_training_mode():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(4, 6, 6, 3)).astype("float32")
    conv = keras.layers.Conv2D(5, 3, padding="same")
    conv.build(x.shape)
    kernel = rng.normal(size=(3, 3, 3, 5)).astype("float32")
    bn = keras.layers.BatchNormalization()
    outs = []
    for bias in (np.zeros(5), rng.normal(0, 3, 5)):
        conv.set_weights([kernel, bias.astype("float32")])
        outs.append(np.asarray(bn(conv(x), training=True)))
    np.testing.assert_allclose(outs[0], outs[1], atol=1e-4)


def test_zero_gamma_and_beta_in_bn2_leave_relu_of_the_shortcut(solution):
    """What the prompt of Task 4 says the shapes and structure checks rely on: with bn2's gamma and beta set
    to 0 the residual branch adds exactly 0 (inference mode), so the block outputs relu(shortcut(x)); and a
    1x1 projection with the identity kernel and a batch normalisation with gamma 1, beta 0, mean 0 and
    variance 1 - epsilon computes x itself."""
    rng = np.random.default_rng(6)
    for shape, filters, stride in (((2, 6, 6, 4), 4, 1), ((1, 7, 7, 3), 5, 2)):
        block = solution["BasicBlock"](filters, stride=stride)
        block(np.zeros(shape, dtype="float32"))
        gamma, beta, mean, variance = block.bn2.get_weights()
        block.bn2.set_weights([np.zeros_like(gamma), np.zeros_like(beta), mean, variance])
        x = rng.normal(size=shape).astype("float32")
        if block.shortcut_conv is None:
            np.testing.assert_array_equal(np.asarray(block(x, training=False)), np.maximum(x, 0.0))
        else:
            shortcut = block.shortcut_bn(block.shortcut_conv(x), training=False)
            np.testing.assert_array_equal(np.asarray(block(x, training=False)), np.maximum(np.asarray(shortcut), 0.0))
    projection = keras.layers.Conv2D(4, 1, use_bias=False)
    norm = keras.layers.BatchNormalization()
    x = rng.normal(size=(2, 5, 5, 4)).astype("float32")
    projection.build(x.shape)
    norm.build((2, 5, 5, 4))
    projection.set_weights([np.eye(4, dtype="float32").reshape(1, 1, 4, 4)])
    norm.set_weights([np.ones(4, "float32"), np.zeros(4, "float32"), np.zeros(4, "float32"),
                      np.full(4, 1 - 1e-3, "float32")])
    np.testing.assert_allclose(np.asarray(norm(projection(x), training=False)), x, rtol=1e-6, atol=1e-6)
