"""backprop_optimisation: the reference solution's derivatives and gradients are what
tf.GradientTape computes, the Himmelblau minima and basins are right, and gradient descent on
the linear-regression data reaches the least-squares solution."""
import numpy as np
import pytest

ASSIGNMENT = "backprop_optimisation"

tf = pytest.importorskip("tensorflow")

EDGES = np.array([0.0, 1000.0, -1000.0, 710.0, -710.0, 40.0, -40.0, 1e-9, -1e-9, 2.5, -3.7, 0.3])


def _tape_derivative(fn, x):
    x = tf.constant(x, dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    return tape.gradient(y, x).numpy()


def test_activation_derivatives_match_the_tape(solution):
    x = np.concatenate([EDGES, np.random.default_rng(0).normal(scale=5.0, size=50)])
    np.testing.assert_allclose(solution["sigmoid"](x), tf.nn.sigmoid(x).numpy(), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(solution["sigmoid_grad"](x), _tape_derivative(tf.nn.sigmoid, x), rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(solution["tanh_grad"](x), _tape_derivative(tf.nn.tanh, x), rtol=1e-9, atol=1e-15)
    np.testing.assert_array_equal(solution["relu_grad"](x), _tape_derivative(tf.nn.relu, x))
    for alpha in (0.2, 0.01, 0.3):
        np.testing.assert_allclose(solution["leaky_relu_grad"](x, alpha=alpha),
                                   _tape_derivative(lambda t: tf.nn.leaky_relu(t, alpha=alpha), x), rtol=1e-7)
        # (TensorFlow keeps alpha as a float32 attribute, even for float64 inputs)
    # the table's tanh identity
    np.testing.assert_allclose(np.tanh(x), 2 * solution["sigmoid"](2 * x) - 1, atol=1e-12)


def test_tensorflow_convention_at_zero_is_not_the_notes_one(solution):
    """The notes write ReLU'(x) = 1 for x >= 0 (and 1 for leaky ReLU); TensorFlow gives 0 and alpha at 0."""
    assert solution["TAPE_RELU_AT_0"] == 0.0
    assert solution["TAPE_LEAKY_AT_0"] == pytest.approx(0.2, abs=1e-6)
    assert float(_tape_derivative(tf.nn.relu, np.array(0.0))) == 0.0
    assert float(_tape_derivative(lambda t: tf.nn.leaky_relu(t, alpha=0.2), np.array(0.0))) == pytest.approx(0.2)
    grid = np.linspace(-10, 10, 200001)
    assert solution["SIGMOID_GRAD_MAX"] == pytest.approx(solution["sigmoid_grad"](grid).max(), abs=1e-12)
    assert solution["SIGMOID_GRAD_MAX"] == 0.25


def test_softmax_cross_entropy_gradient_is_p_minus_y_over_m(solution):
    rng = np.random.default_rng(1)
    z = rng.normal(scale=4.0, size=(6, 5))
    z[0] = [1000.0, 0.0, -1000.0, 999.0, 1.0]
    z[1] = [-1000.0] * 5
    y = np.eye(5)[rng.integers(0, 5, size=6)]
    y[0] = [0.0, 0.0, 1.0, 0.0, 0.0]
    y[3] = [0.6, 0.1, 0.1, 0.1, 0.1]
    np.testing.assert_allclose(solution["softmax"](z), tf.nn.softmax(z).numpy(), rtol=1e-12, atol=1e-300)
    zt = tf.constant(z)
    with tf.GradientTape() as tape:
        tape.watch(zt)
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=zt))
    ours_loss, ours_grad = solution["softmax_cross_entropy"](z, y)
    assert np.isfinite(ours_loss) and ours_loss == pytest.approx(float(loss), rel=1e-12)
    np.testing.assert_allclose(ours_grad, tape.gradient(loss, zt).numpy(), rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(ours_grad, (tf.nn.softmax(z).numpy() - y) / len(z), rtol=1e-12, atol=1e-18)


def _tape_mlp(params, X, Y):
    variables = {name: tf.Variable(value, dtype=tf.float64) for name, value in params.items()}
    with tf.GradientTape() as tape:
        H = tf.sigmoid(X @ variables["W1"] + variables["b1"])
        O = tf.sigmoid(H @ variables["W2"] + variables["b2"])
        loss = tf.reduce_mean(tf.square(O - Y))
    grads = tape.gradient(loss, variables)
    return float(loss), {name: g.numpy() for name, g in grads.items()}


@pytest.mark.parametrize("d,h,k,seed", [(2, 7, 1, 0), (3, 5, 2, 1), (2, 16, 3, 2)])
def test_manual_backprop_equals_the_tape(solution, d, h, k, seed):
    rng = np.random.default_rng(seed)
    if d == 2:
        X, labels = solution["make_moons_like"](60, noise=0.2, seed=seed)
    else:
        X, labels = rng.normal(size=(60, d)), rng.integers(0, 2, size=60)
    Y = np.eye(max(k, 2))[labels.astype(int)][:, :k] if k > 1 else labels.reshape(-1, 1).astype(float)
    params = {"W1": rng.normal(scale=1.5, size=(d, h)), "b1": rng.normal(size=h),
              "W2": rng.normal(scale=1.5, size=(h, k)), "b2": rng.normal(size=k)}
    tape_loss, tape_grads = _tape_mlp(params, X, Y)
    assert solution["mlp_loss"](params, X, Y) == pytest.approx(tape_loss, rel=1e-12)
    keras = pytest.importorskip("keras")
    _, O = solution["mlp_forward"](params, X)
    assert solution["mlp_loss"](params, X, Y) == pytest.approx(float(keras.losses.MeanSquaredError()(Y, O)), rel=1e-5)
    ours = solution["mlp_backward"](params, X, Y)
    for name in params:
        np.testing.assert_allclose(ours[name], tape_grads[name], rtol=0, atol=1e-6)
        np.testing.assert_allclose(ours[name], tape_grads[name], rtol=1e-9, atol=1e-14)


def test_training_lowers_the_loss_and_keeps_the_input(solution):
    params = solution["init_params"](2, 6, 1, seed=0)
    before = {name: value.copy() for name, value in params.items()}
    X, Y = solution["X_moons"], solution["Y_moons"]
    new, losses = solution["train_mlp"](params, X, Y, 1.0, 30)
    assert losses.shape == (31,) and losses[-1] < losses[0]
    assert losses[0] == pytest.approx(solution["mlp_loss"](before, X, Y))
    assert losses[-1] == pytest.approx(solution["mlp_loss"](new, X, Y))
    assert all(np.array_equal(params[name], before[name]) for name in params)


def test_chain_rule_values(solution):
    rng = np.random.default_rng(3)
    sig = lambda t: 1.0 / (1.0 + np.exp(-t))
    for x, w1, b1, w2, b2 in rng.normal(scale=1.5, size=(5, 5)):
        args = (tf.constant(x, tf.float32), tf.Variable(w1, dtype=tf.float32), tf.constant(b1, tf.float32),
                tf.constant(w2, tf.float32), tf.constant(b2, tf.float32))
        for function in (solution["chain_rule_grads"], tf.function(solution["chain_rule_grads"])):
            a, b, c = (float(v) for v in function(*args))
            y1 = sig(w1 * x + b1)
            y2 = sig(w2 * y1 + b2)
            assert a == pytest.approx(w2 * y2 * (1 - y2), rel=1e-5, abs=1e-7)
            assert b == pytest.approx(x * y1 * (1 - y1), rel=1e-5, abs=1e-7)
            assert c == pytest.approx(a * b, rel=1e-5, abs=1e-7)


def _graph_ops(function):
    """The operation types of `function` traced as the check traces it: w1 a variable, the other
    inputs float32 scalar placeholders."""
    w1 = tf.Variable(0.5)
    traced = tf.function(lambda x, b1, w2, b2: function(x, w1, b1, w2, b2))
    concrete = traced.get_concrete_function(*([tf.TensorSpec((), tf.float32)] * 4))
    return [op.type for op in concrete.graph.get_operations()]


def test_the_tape_adds_sigmoid_gradient_operations_and_hand_derivatives_do_not(solution):
    """What Task 4's prompt says the check reads in the traced graph: a persistent tape records the two
    sigmoids once and differentiates them with SigmoidGrad; derivatives written by hand have none; a tape per
    gradient records the forward pass again."""
    ops = _graph_ops(solution["chain_rule_grads"])
    assert ops.count("Sigmoid") == 2 and ops.count("SigmoidGrad") >= 3

    def by_hand(x, w1, b1, w2, b2):
        y1 = tf.sigmoid(w1 * x + b1)
        y2 = tf.sigmoid(w2 * y1 + b2)
        return y2 * (1 - y2) * w2, y1 * (1 - y1) * x

    assert "SigmoidGrad" not in _graph_ops(by_hand)

    def tape_per_gradient(x, w1, b1, w2, b2):
        out = []
        for _ in range(3):
            with tf.GradientTape() as tape:
                y2 = tf.sigmoid(w2 * tf.sigmoid(w1 * x + b1) + b2)
            out.append(tape.gradient(y2, w1))
        return out

    assert _graph_ops(tape_per_gradient).count("Sigmoid") == 6


def test_inside_tf_function_the_inputs_are_symbolic():
    """The prompt of Task 4: .numpy(), tf.constant(...) and tf.Variable(...) of an input fail while
    tf.function traces (so the check's trace of such code fails); without them the same code traces."""
    for convert in (lambda t: t.numpy(), lambda t: tf.constant(t), lambda t: tf.Variable(t)):
        with pytest.raises(Exception):
            tf.function(lambda t: convert(t) * 2.0).get_concrete_function(tf.TensorSpec((), tf.float32))
    tf.function(lambda t: t * 2.0).get_concrete_function(tf.TensorSpec((), tf.float32))


def test_float32_rounding_is_far_outside_the_float64_tolerances(solution):
    """The notebook's precision paragraph: float32 rounding (~1e-7 relative) vs tolerances of ~1e-9."""
    x = np.random.default_rng(5).normal(scale=3.0, size=1000)
    exact = solution["sigmoid"](x)
    rough = solution["sigmoid"](x.astype(np.float32)).astype(np.float32).astype(np.float64)
    assert np.max(np.abs(rough - exact) / (1e-12 + 1e-9 * np.abs(exact))) > 10


MINIMA = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]


def test_himmelblau_minima_and_gradient(solution):
    f, grad = solution["himmelblau"], solution["himmelblau_grad"]
    np.testing.assert_allclose(solution["MINIMA"], MINIMA)
    for x, y in MINIMA:
        assert f(x, y) < 1e-9
        assert np.abs(grad(x, y)).max() < 1e-4          # the minima are given to 6 decimals
    assert np.abs(grad(-0.270845, -0.923039)).max() < 1e-4 and f(-0.270845, -0.923039) == pytest.approx(181.617, abs=1e-3)
    rng = np.random.default_rng(4)
    points = tf.constant(rng.uniform(-6, 6, size=(40, 2)))
    with tf.GradientTape() as tape:
        tape.watch(points)
        values = (points[:, 0] ** 2 + points[:, 1] - 11) ** 2 + (points[:, 0] + points[:, 1] ** 2 - 7) ** 2
    gx, gy = grad(points.numpy()[:, 0], points.numpy()[:, 1])
    np.testing.assert_allclose(np.stack([gx, gy], axis=1), tape.gradient(values, points).numpy(), rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(f(points.numpy()[:, 0], points.numpy()[:, 1]), values.numpy(), rtol=1e-12)


def test_descent_reaches_the_stated_minima(solution):
    descend, minima = solution["himmelblau_descent"], np.array(MINIMA)
    # the notes' starts, lr 0.01, 200 steps
    for start, index in (((1.0, 0.0), 0), ((-4.0, 0.0), 2), ((4.0, 0.0), 3), ((-2.0, 2.0), 1)):
        end = descend(np.array(start))[-1]
        assert np.linalg.norm(end - minima[index]) < 1e-5, (start, end)
    basins = []
    for start in solution["BASIN_STARTS"]:
        end = descend(start)[-1]
        assert np.linalg.norm(minima - end, axis=1).min() < 1e-5
        basins.append(int(np.argmin(np.linalg.norm(minima - end, axis=1))))
        # robust: nearby starts end at the same minimum
        for dx, dy in ((0.02, 0.0), (-0.02, 0.0), (0.0, 0.02), (0.0, -0.02)):
            near = descend(start + np.array([dx, dy]))[-1]
            assert int(np.argmin(np.linalg.norm(minima - near, axis=1))) == basins[-1]
    assert basins == solution["BASINS"] == [0, 0, 1, 3]
    nearest = [int(np.argmin(np.linalg.norm(minima - s, axis=1))) for s in solution["BASIN_STARTS"]]
    assert sum(a != b for a, b in zip(basins, nearest)) == 3, "the prompt says three starts do not reach the nearest"


def test_linear_regression_descent_reaches_least_squares(solution):
    x, y = solution["x_line"], solution["y_line"]
    exact = np.linalg.lstsq(np.stack([x, np.ones_like(x)], axis=1), y, rcond=None)[0]
    np.testing.assert_allclose(solution["linear_regression_closed_form"](x, y), exact, rtol=1e-12)
    np.testing.assert_allclose(np.polyfit(x, y, 1), exact, rtol=1e-9)
    w, b, losses = solution["linear_regression_gd"](x, y, lr=0.01, steps=1000)
    assert abs(w - exact[0]) < 1e-6 and abs(b - exact[1]) < 1e-6
    assert losses.shape == (1001,) and np.all(np.diff(losses) <= 1e-15)
    assert exact[0] == pytest.approx(1.477, abs=1e-3) and exact[1] == pytest.approx(0.089, abs=5e-3)
