"""Hidden checks for backprop_optimisation: each probe builds its own inputs (seeded, with
the edge values where naive code breaks: +-1000 for sigmoid/softmax, exactly 0 for ReLU),
calls the student's functions and returns what they computed. Everything is float64
NumPy except the chain-rule check, which runs the student's GradientTape code."""
import numpy as np

from autograder import Close, Exact, hidden_check

# float64 arithmetic: a correct answer differs from the reference only by rounding
# (summation order, algebraically equal formulas), far below these tolerances.
FLOAT64 = Close(rtol=1e-7, atol=1e-12)
# values that go through many gradient steps: rounding differences grow a little
TRAJECTORY = Close(rtol=1e-6, atol=1e-9)


def _f64(value):
    """A float64 array; any shape is kept so a shape mistake still shows."""
    return np.asarray(value, dtype=np.float64)


def _edge_inputs(rng, shape):
    """Random values of several scales with the edge cases written into the first entries:
    exactly 0, +-1000 (overflow in a naive exp), +-40 (saturation), tiny values."""
    x = rng.normal(size=shape) * rng.choice([0.5, 3.0, 12.0], size=shape)
    edges = np.array([0.0, 1000.0, -1000.0, 40.0, -40.0, 1e-9, -1e-9, 0.0, 710.0, -710.0])
    flat = x.reshape(-1)
    flat[: len(edges)] = edges
    return flat.reshape(shape)


@hidden_check(compare={"sigmoid": FLOAT64, "sigmoid_grad": FLOAT64})
def sigmoid_derivative(sigmoid, sigmoid_grad):
    x = _edge_inputs(np.random.default_rng(6101), (4, 7, 3))
    with np.errstate(all="ignore"):
        return {"sigmoid": _f64(sigmoid(x)), "sigmoid_grad": _f64(sigmoid_grad(x))}


@hidden_check(compare={"tanh_grad": FLOAT64})
def tanh_derivative(tanh_grad):
    x = _edge_inputs(np.random.default_rng(6201), (5, 9))
    with np.errstate(all="ignore"):
        return {"tanh_grad": _f64(tanh_grad(x))}


@hidden_check(compare={"values": Close(rtol=0, atol=1e-6)})
def tape_values(TAPE_RELU_AT_0, TAPE_LEAKY_AT_0, SIGMOID_GRAD_MAX):
    return {"values": _f64([float(TAPE_RELU_AT_0), float(TAPE_LEAKY_AT_0), float(SIGMOID_GRAD_MAX)])}


@hidden_check(compare={"relu_grad": FLOAT64, "leaky_default": FLOAT64, "leaky_alphas": FLOAT64})
def relu_derivatives(relu_grad, leaky_relu_grad):
    x = _edge_inputs(np.random.default_rng(6301), (3, 4, 5))
    x[1, 2] = 0.0
    return {
        "relu_grad": _f64(relu_grad(x)),
        "leaky_default": _f64(leaky_relu_grad(x)),
        "leaky_alphas": np.stack([_f64(leaky_relu_grad(x, alpha=a)) for a in (0.01, 0.3)]),
    }


def _logits(rng):
    z = rng.normal(size=(9, 5)) * 4.0
    z[0] = [1000.0, 0.0, -1000.0, 999.0, 1.0]   # exp overflows without the max shift
    z[1] = [-1000.0] * 5                        # exp underflows to 0 for every class
    z[2] = [800.0, 800.0, 800.0, -5.0, 800.0]   # ties among huge values
    z[3] = [0.0, 0.0, 0.0, 0.0, 0.0]
    return z


@hidden_check(compare={"p_2d": Close(rtol=1e-7, atol=1e-14), "p_3d": Close(rtol=1e-7, atol=1e-14)})
def softmax_stable(softmax):
    rng = np.random.default_rng(6401)
    z2 = _logits(rng)
    z3 = rng.normal(size=(2, 3, 4)) * 10.0
    z3[1, 2] = [-1000.0, 1000.0, 0.0, 500.0]
    with np.errstate(all="ignore"):
        return {"p_2d": _f64(softmax(z2)), "p_3d": _f64(softmax(z3))}


@hidden_check(compare={"loss": Close(rtol=1e-9, atol=1e-9), "grad": Close(rtol=1e-7, atol=1e-12),
                       "loss_small": Close(rtol=1e-9, atol=1e-9), "grad_small": Close(rtol=1e-7, atol=1e-12)})
def cross_entropy_gradient(softmax_cross_entropy):
    rng = np.random.default_rng(6501)
    z = _logits(rng)
    y = np.eye(5)[rng.integers(0, 5, size=9)]
    y[0] = [0.0, 0.0, 1.0, 0.0, 0.0]        # the true class has p = exp(-2000): log(p) must not be -inf
    y[4] = [0.7, 0.1, 0.1, 0.05, 0.05]      # a smoothed label (rows sum to 1)
    z_small = rng.normal(size=(3, 4))
    y_small = np.eye(4)[[3, 0, 1]]
    with np.errstate(all="ignore"):
        loss, grad = softmax_cross_entropy(z, y)
        loss_small, grad_small = softmax_cross_entropy(z_small, y_small)
    return {"loss": _f64(loss), "grad": _f64(grad), "loss_small": _f64(loss_small), "grad_small": _f64(grad_small)}


# -- the two-layer sigmoid network --------------------------------------------------------

def _moons(rng, n, noise):
    """Two interleaving noisy half-circles (the shape of scikit-learn's make_moons)."""
    n_out = n // 2
    t_out = rng.uniform(0.0, np.pi, size=n_out)
    t_in = rng.uniform(0.0, np.pi, size=n - n_out)
    outer = np.stack([np.cos(t_out), np.sin(t_out)], axis=1)
    inner = np.stack([1.0 - np.cos(t_in), 0.5 - np.sin(t_in)], axis=1)
    X = np.concatenate([outer, inner]) + rng.normal(scale=noise, size=(n, 2))
    y = np.concatenate([np.zeros(n_out), np.ones(n - n_out)])
    order = rng.permutation(n)
    return X[order], y[order]


def _params(rng, d, h, k, scale=1.5):
    return {"W1": rng.normal(scale=scale, size=(d, h)), "b1": rng.normal(size=h),
            "W2": rng.normal(scale=scale, size=(h, k)), "b2": rng.normal(size=k)}


def _cases():
    """(params, X, Y): moons with one output unit, and random 3-D inputs with two one-hot outputs."""
    rng = np.random.default_rng(6601)
    X1, y1 = _moons(rng, 64, 0.2)
    case1 = (_params(rng, 2, 7, 1), X1, y1.reshape(-1, 1))
    X2 = rng.normal(size=(40, 3)) * 2.0
    Y2 = np.eye(2)[rng.integers(0, 2, size=40)]
    case2 = (_params(rng, 3, 5, 2), X2, Y2)
    return [case1, case2]


def _copy(params):
    return {name: np.array(value, dtype=np.float64, copy=True) for name, value in params.items()}


@hidden_check(compare={"H": FLOAT64, "O": FLOAT64, "loss": Close(rtol=1e-9, atol=1e-12)})
def mlp_forward(mlp_forward, mlp_loss):
    hs, os, losses = [], [], []
    for params, X, Y in _cases():
        H, O = mlp_forward(_copy(params), X)
        hs.append(_f64(H).ravel())
        os.append(_f64(O).ravel())
        losses.append(float(mlp_loss(_copy(params), X, Y)))
    return {"H": np.concatenate(hs), "O": np.concatenate(os), "loss": _f64(losses)}


@hidden_check(compare={name: Close(rtol=1e-7, atol=1e-10) for name in
                       ("W1", "b1", "W2", "b2", "W1_b", "b1_b", "W2_b", "b2_b")})
def mlp_backward(mlp_backward):
    out = {}
    for suffix, (params, X, Y) in zip(("", "_b"), _cases()):
        grads = mlp_backward(_copy(params), X, Y)
        for name in ("W1", "b1", "W2", "b2"):
            out[name + suffix] = _f64(grads[name])
    return out


@hidden_check(compare={"W1": TRAJECTORY, "b1": TRAJECTORY, "W2": TRAJECTORY, "b2": TRAJECTORY,
                       "losses": TRAJECTORY, "input_unchanged": Exact()})
def mlp_training(train_mlp):
    rng = np.random.default_rng(6701)
    X, y = _moons(rng, 80, 0.25)
    params = _params(rng, 2, 6, 1, scale=1.0)
    given = _copy(params)
    new_params, losses = train_mlp(given, X, y.reshape(-1, 1), 0.5, 60)
    unchanged = all(np.array_equal(given[name], params[name]) for name in params)
    return {**{name: _f64(new_params[name]) for name in ("W1", "b1", "W2", "b2")},
            "losses": _f64(losses), "input_unchanged": bool(unchanged)}


# -- chain rule with a persistent tape -----------------------------------------------------

@hidden_check(compare={"values": Close(rtol=1e-5, atol=1e-7)})
def chain_rule(chain_rule_grads):
    rng = np.random.default_rng(6801)
    rows = []
    for _ in range(5):
        x, w1, b1, w2, b2 = (float(v) for v in rng.normal(scale=1.5, size=5))
        rows.append([float(np.asarray(v)) for v in chain_rule_grads(x, w1, b1, w2, b2)])
    return {"values": _f64(rows)}


# -- Himmelblau -----------------------------------------------------------------------------

def _himmelblau(p):
    x, y = p[..., 0], p[..., 1]
    return (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2


@hidden_check(compare={"f": Close(rtol=1e-9, atol=1e-9), "gx": Close(rtol=1e-9, atol=1e-9),
                       "gy": Close(rtol=1e-9, atol=1e-9)})
def himmelblau_gradient(himmelblau, himmelblau_grad):
    rng = np.random.default_rng(6901)
    x = rng.uniform(-6, 6, size=(6, 8))
    y = rng.uniform(-6, 6, size=(6, 8))
    x[0, :3], y[0, :3] = [0.0, 3.0, -0.270845], [0.0, 2.0, -0.923039]   # origin, a minimum, the maximum
    gx, gy = himmelblau_grad(x, y)
    return {"f": _f64(himmelblau(x, y)), "gx": _f64(gx), "gy": _f64(gy)}


@hidden_check(compare={"paths": Close(rtol=1e-6, atol=1e-6), "path_slow": Close(rtol=1e-6, atol=1e-6),
                       "f_end": Close(rtol=0, atol=1e-8)})
def himmelblau_descent(himmelblau_descent):
    starts = [(0.5, 0.5), (-1.5, 2.5), (2.5, -3.0), (-3.0, -1.5), (-2.0, -4.0)]
    with np.errstate(all="ignore"):
        paths = np.stack([_f64(himmelblau_descent(np.array(s), lr=0.01, steps=200)) for s in starts])
        slow = _f64(himmelblau_descent(np.array([1.0, 4.0]), lr=0.005, steps=120))
    return {"paths": paths, "path_slow": slow, "f_end": _f64(_himmelblau(paths[:, -1]))}


@hidden_check(compare={"basins": Exact(check_dtype=False)})
def himmelblau_basins(BASINS):
    return {"basins": np.asarray([int(v) for v in BASINS], dtype=np.int64)}


# -- linear regression ------------------------------------------------------------------------

def _line(seed, n, slope, intercept, noise, low, high):
    rng = np.random.default_rng(seed)
    x = rng.uniform(low, high, size=n)
    return x, slope * x + intercept + rng.normal(scale=noise, size=n)


@hidden_check(compare={"w": Close(rtol=1e-8, atol=1e-10), "b": Close(rtol=1e-8, atol=1e-10),
                       "losses": Close(rtol=1e-7, atol=1e-12),
                       "other_w": Close(rtol=1e-8, atol=1e-10), "other_b": Close(rtol=1e-8, atol=1e-10),
                       "other_losses": Close(rtol=1e-7, atol=1e-12)})
def linear_regression_gd(linear_regression_gd):
    x, y = _line(7001, 100, 1.477, 0.089, 0.01, -10.0, 10.0)
    x2, y2 = _line(7002, 60, -0.7, 2.5, 0.5, -3.0, 3.0)
    with np.errstate(all="ignore"):
        w, b, losses = linear_regression_gd(x, y, lr=0.01, steps=400)
        w2, b2, losses2 = linear_regression_gd(x2, y2, lr=0.05, steps=150, w0=1.0, b0=-1.0)
    return {"w": _f64(w), "b": _f64(b), "losses": _f64(losses),
            "other_w": _f64(w2), "other_b": _f64(b2), "other_losses": _f64(losses2)}


@hidden_check(compare={"wb": Close(rtol=1e-8, atol=1e-10)})
def linear_regression_closed_form(linear_regression_closed_form):
    rows = []
    for seed, args in ((7101, (1.477, 0.089, 0.01, -10.0, 10.0)), (7102, (-0.7, 2.5, 0.5, 1.0, 5.0))):
        x, y = _line(seed, 50, *args)
        w, b = linear_regression_closed_form(x, y)
        rows.append([float(w), float(b)])
    return {"wb": _f64(rows)}
