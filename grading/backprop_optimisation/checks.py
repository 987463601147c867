"""Hidden checks for backprop_optimisation: each probe builds its own inputs (seeded, with
the edge values where naive code breaks: +-1000 for sigmoid/softmax, exactly 0 for ReLU),
calls the student's functions and returns what they computed.

Float policy (stated in the notebook): every NumPy task works in float64. A result the student
returns in a lower precision (float32) keeps its dtype here and fails on it; the tolerances are
so tight that float32 rounding is also far outside them. The tape tasks (Question 1c, Task 4)
use TensorFlow's float32.

Decoupling: a later task's check runs the student's function with the reference versions of
the earlier tasks' functions (the prompt's names, swapped into the notebook's namespace for
the call), so that a mistake in, say, `mlp_forward` costs Task 3a's points only.

Evidence: every output is the student's code evaluated on hidden inputs, except the chain
rule, whose tape is traced into a graph and exported; `measure` runs that graph on its own
inputs in a process that ran no student code and reads its operations there (the forward pass
recorded once, each returned gradient computed by the tape's gradient operations)."""
from collections import Counter
from pathlib import Path

import numpy as np

from autograder import Close, Exact, SavedModel, earlier_tasks_as_reference, hidden_check, load_saved_model

# float64 arithmetic: a correct answer differs from the reference only by rounding
# (summation order, algebraically equal formulas), far below these tolerances; float32
# rounding (~6e-8 relative) is more than 10 tolerances away.
FLOAT64 = Close(rtol=1e-9, atol=1e-12)
# values that go through many gradient steps: float64 rounding grows to ~1e-14 relative,
# float32 rounding to ~1e-7 (measured: `python -m autograder margins backprop_optimisation`)
TRAJECTORY = Close(rtol=1e-9, atol=1e-12)


def _f64(value):
    """The student's result as a float64 array (any shape is kept, so a shape mistake still
    shows). Python numbers, integers and booleans become float64; a result in a lower float
    precision (float32, float16) keeps its dtype, so the check reports that the dtype differs."""
    array = np.array(value, copy=True)
    if array.dtype.kind == "f" and array.dtype.itemsize < 8:
        return array
    return array.astype(np.float64)


# -- reference versions of the helpers later tasks may call ------------------------------------

def _ref_sigmoid(x):
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _ref_sigmoid_grad(x):
    s = _ref_sigmoid(x)
    return s * (1.0 - s)


def _ref_softmax(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _ref_mlp_forward(params, X):
    H = _ref_sigmoid(X @ params["W1"] + params["b1"])
    return H, _ref_sigmoid(H @ params["W2"] + params["b2"])


def _ref_mlp_loss(params, X, Y):
    return float(np.mean((_ref_mlp_forward(params, X)[1] - Y) ** 2))


def _ref_mlp_backward(params, X, Y):
    H, O = _ref_mlp_forward(params, X)
    delta2 = 2.0 * (O - Y) / O.size * O * (1.0 - O)
    delta1 = (delta2 @ params["W2"].T) * H * (1.0 - H)
    return {"W1": X.T @ delta1, "b1": delta1.sum(axis=0), "W2": H.T @ delta2, "b2": delta2.sum(axis=0)}


def _ref_himmelblau(x, y):
    return (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2


def _ref_himmelblau_grad(x, y):
    a, b = x ** 2 + y - 11, x + y ** 2 - 7
    return 4 * x * a + 2 * b, 2 * a + 4 * y * b


ACTIVATIONS = {"sigmoid": _ref_sigmoid, "sigmoid_grad": _ref_sigmoid_grad}
MLP = {**ACTIVATIONS, "mlp_forward": _ref_mlp_forward, "mlp_loss": _ref_mlp_loss}


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
        return {"sigmoid": _f64(sigmoid(x.copy())), "sigmoid_grad": _f64(sigmoid_grad(x.copy()))}


@hidden_check(compare={"tanh_grad": FLOAT64})
def tanh_derivative(tanh_grad):
    x = _edge_inputs(np.random.default_rng(6201), (5, 9))
    with np.errstate(all="ignore"):
        return {"tanh_grad": _f64(tanh_grad(x))}


@hidden_check(compare={"values": Close(rtol=0, atol=1e-6)})
def tape_values(TAPE_RELU_AT_0, TAPE_LEAKY_AT_0, SIGMOID_GRAD_MAX):
    """Three numbers asked as values (Python, NumPy or 0-d TensorFlow numbers)."""
    return {"values": np.array([float(TAPE_RELU_AT_0), float(TAPE_LEAKY_AT_0), float(SIGMOID_GRAD_MAX)])}


@hidden_check(compare={"relu_grad": FLOAT64, "leaky_default": FLOAT64, "leaky_alphas": FLOAT64})
def relu_derivatives(relu_grad, leaky_relu_grad):
    x = _edge_inputs(np.random.default_rng(6301), (3, 4, 5))
    x[1, 2] = 0.0
    return {
        "relu_grad": _f64(relu_grad(x.copy())),
        "leaky_default": _f64(leaky_relu_grad(x.copy())),
        "leaky_alphas": np.stack([_f64(leaky_relu_grad(x.copy(), alpha=a)) for a in (0.01, 0.3)]),
    }


def _logits(rng):
    z = rng.normal(size=(9, 5)) * 4.0
    z[0] = [1000.0, 0.0, -1000.0, 999.0, 1.0]   # exp overflows without the max shift
    z[1] = [-1000.0] * 5                        # exp underflows to 0 for every class
    z[2] = [800.0, 800.0, 800.0, -5.0, 800.0]   # ties among huge values
    z[3] = [0.0, 0.0, 0.0, 0.0, 0.0]
    return z


@hidden_check(compare={"p_2d": Close(rtol=1e-9, atol=1e-14), "p_3d": Close(rtol=1e-9, atol=1e-14)})
def softmax_stable(softmax):
    rng = np.random.default_rng(6401)
    z2 = _logits(rng)
    z3 = rng.normal(size=(2, 3, 4)) * 10.0
    z3[1, 2] = [-1000.0, 1000.0, 0.0, 500.0]
    with np.errstate(all="ignore"):
        return {"p_2d": _f64(softmax(z2)), "p_3d": _f64(softmax(z3))}


@hidden_check(compare={"loss": Close(rtol=1e-9, atol=1e-12), "grad": FLOAT64,
                       "loss_small": Close(rtol=1e-9, atol=1e-12), "grad_small": FLOAT64})
def cross_entropy_gradient(softmax_cross_entropy):
    rng = np.random.default_rng(6501)
    z = _logits(rng)
    y = np.eye(5)[rng.integers(0, 5, size=9)]
    y[0] = [0.0, 0.0, 1.0, 0.0, 0.0]        # the true class has p = exp(-2000): log(p) must not be -inf
    y[4] = [0.7, 0.1, 0.1, 0.05, 0.05]      # a smoothed label (rows sum to 1)
    z_small = rng.normal(size=(3, 4))
    y_small = np.eye(4)[[3, 0, 1]]
    with np.errstate(all="ignore"), earlier_tasks_as_reference(softmax_cross_entropy, {"softmax": _ref_softmax}):
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
    with earlier_tasks_as_reference(mlp_forward, ACTIVATIONS), earlier_tasks_as_reference(mlp_loss, ACTIVATIONS):
        for params, X, Y in _cases():
            H, O = mlp_forward(_copy(params), X.copy())
            hs.append(_f64(H).ravel())
            os.append(_f64(O).ravel())
            losses.append(_f64(mlp_loss(_copy(params), X.copy(), Y.copy())))
    return {"H": np.concatenate(hs), "O": np.concatenate(os), "loss": np.stack(losses)}


@hidden_check(compare={name: FLOAT64 for name in ("W1", "b1", "W2", "b2", "W1_b", "b1_b", "W2_b", "b2_b")})
def mlp_backward(mlp_backward):
    out = {}
    with earlier_tasks_as_reference(mlp_backward, MLP):
        for suffix, (params, X, Y) in zip(("", "_b"), _cases()):
            grads = mlp_backward(_copy(params), X.copy(), Y.copy())
            for name in ("W1", "b1", "W2", "b2"):
                out[name + suffix] = _f64(grads[name])
    return out


@hidden_check(compare={"W1": TRAJECTORY, "b1": TRAJECTORY, "W2": TRAJECTORY, "b2": TRAJECTORY,
                       "losses": TRAJECTORY, "given_after_call": Exact()})
def mlp_training(train_mlp):
    """The trajectory, and the values of the arrays the caller passed in, read after the call
    (they must still hold the initial values: the reference leaves them alone)."""
    rng = np.random.default_rng(6701)
    X, y = _moons(rng, 80, 0.25)
    given = _copy(_params(rng, 2, 6, 1, scale=1.0))
    held = [given[name] for name in ("W1", "b1", "W2", "b2")]   # the caller's own arrays
    with earlier_tasks_as_reference(train_mlp, {**MLP, "mlp_backward": _ref_mlp_backward}):
        new_params, losses = train_mlp(given, X, y.reshape(-1, 1), 0.5, 60)
    after = np.concatenate([array.copy().ravel() for array in held])
    return {**{name: _f64(new_params[name]) for name in ("W1", "b1", "W2", "b2")},
            "losses": _f64(losses), "given_after_call": after}


# -- chain rule with a persistent tape -----------------------------------------------------

def _traced_graph(folder, attribute):
    """The exported function `attribute` of a SavedModel, read from saved_model.pb (nothing is
    run): (how many operations of each type it and the functions it calls hold, for each of its
    outputs the set of operation types it is computed from)."""
    from tensorflow.core.protobuf import saved_model_pb2
    proto = saved_model_pb2.SavedModel()
    proto.ParseFromString((Path(folder) / "saved_model.pb").read_bytes())
    meta = proto.meta_graphs[0]
    library = {function.signature.name: function for function in meta.graph_def.library.function}
    root = meta.object_graph_def.nodes[0]
    (node_id,) = [child.node_id for child in root.children if child.local_name == attribute]
    (name,) = meta.object_graph_def.nodes[node_id].function.concrete_functions[:1]

    def called(node):
        return [value.func.name for value in node.attr.values() if value.func.name in library]

    def op_types(function_name, seen):
        """Every operation type in a function, through the functions it calls."""
        if function_name in seen:
            return Counter()
        seen.add(function_name)
        counts = Counter()
        for node in library[function_name].node_def:
            counts[node.op] += 1
            for inner in called(node):
                counts += op_types(inner, seen)
        return counts

    function = library[name]
    nodes = {node.name: node for node in function.node_def}

    def sources(tensor):
        """The operation types an output is computed from (a called function counts whole)."""
        found, stack, seen = set(), [tensor], set()
        while stack:
            node_name = stack.pop().split(":")[0]
            if node_name in seen or node_name not in nodes:
                continue
            seen.add(node_name)
            node = nodes[node_name]
            found.add(node.op)
            for inner in called(node):
                found |= set(op_types(inner, set()))
            stack.extend(i for i in node.input if not i.startswith("^"))
        return found

    outputs = [function.ret[arg.name] for arg in function.signature.output_arg]
    return op_types(name, set()), [sources(tensor) for tensor in outputs]


def _measure_chain_rule(exported):
    """Runs the exported graph of the student's function on inputs chosen here, counts its
    sigmoid operations (the forward pass recorded once: 2) and asks, for each of the three
    outputs, whether it is computed from a SigmoidGrad, the operation a tape adds to
    differentiate a sigmoid (derivatives written by hand have none)."""
    folder = exported["model"]
    counts, sources = _traced_graph(folder, "grads")
    model = load_saved_model(folder)
    rng = np.random.default_rng(6801)
    rows = []
    for _ in range(6):
        x, w1, b1, w2, b2 = (np.float32(v) for v in rng.normal(scale=1.5, size=5))
        model.w1.assign(w1)
        rows.append([float(v) for v in model.grads(x, b1, w2, b2)])
    return {"values": np.array(rows), "forward_sigmoid_ops": np.int64(counts["Sigmoid"]),
            "outputs_from_tape": np.array(["SigmoidGrad" in found for found in sources])}


@hidden_check(compare={"values": Close(rtol=1e-5, atol=1e-7), "forward_sigmoid_ops": Exact(),
                       "outputs_from_tape": Exact()}, measure=_measure_chain_rule)
def chain_rule(chain_rule_grads):
    """Exports the student's function traced by tf.function, with w1 a variable of the module
    (measure assigns it) and x, b1, w2, b2 float32 scalar inputs."""
    import tensorflow as tf

    module = tf.Module()
    module.w1 = tf.Variable(0.5, dtype=tf.float32)
    scalar = tf.TensorSpec((), tf.float32)

    def grads(x, b1, w2, b2):
        return tuple(chain_rule_grads(x, module.w1, b1, w2, b2))

    module.grads = tf.function(grads, input_signature=[scalar] * 4)
    module.grads.get_concrete_function()
    return {"model": SavedModel(module)}


# -- Himmelblau -----------------------------------------------------------------------------

@hidden_check(compare={"f": Close(rtol=1e-9, atol=1e-9), "gx": Close(rtol=1e-9, atol=1e-9),
                       "gy": Close(rtol=1e-9, atol=1e-9)})
def himmelblau_gradient(himmelblau, himmelblau_grad):
    rng = np.random.default_rng(6901)
    x = rng.uniform(-6, 6, size=(6, 8))
    y = rng.uniform(-6, 6, size=(6, 8))
    x[0, :3], y[0, :3] = [0.0, 3.0, -0.270845], [0.0, 2.0, -0.923039]   # origin, a minimum, the maximum
    gx, gy = himmelblau_grad(x.copy(), y.copy())
    return {"f": _f64(himmelblau(x.copy(), y.copy())), "gx": _f64(gx), "gy": _f64(gy)}


PATHS = Close(rtol=1e-9, atol=1e-9)


@hidden_check(compare={"paths": PATHS, "path_slow": PATHS, "f_end": Close(rtol=0, atol=1e-8)})
def himmelblau_descent(himmelblau_descent):
    starts = [(0.5, 0.5), (-1.5, 2.5), (2.5, -3.0), (-3.0, -1.5), (-2.0, -4.0)]
    helpers = {"himmelblau": _ref_himmelblau, "himmelblau_grad": _ref_himmelblau_grad}
    with np.errstate(all="ignore"), earlier_tasks_as_reference(himmelblau_descent, helpers):
        paths = np.stack([_f64(himmelblau_descent(np.array(s), lr=0.01, steps=200)) for s in starts])
        slow = _f64(himmelblau_descent(np.array([1.0, 4.0]), lr=0.005, steps=120))
    return {"paths": paths, "path_slow": slow, "f_end": np.array(_ref_himmelblau(paths[:, -1, 0], paths[:, -1, 1]), dtype=np.float64)}


@hidden_check(compare={"basins": Exact(check_dtype=False)})
def himmelblau_basins(BASINS):
    return {"basins": np.asarray([int(v) for v in BASINS], dtype=np.int64)}


# -- linear regression ------------------------------------------------------------------------

def _line(seed, n, slope, intercept, noise, low, high):
    rng = np.random.default_rng(seed)
    x = rng.uniform(low, high, size=n)
    return x, slope * x + intercept + rng.normal(scale=noise, size=n)


WB = Close(rtol=1e-10, atol=1e-12)


@hidden_check(compare={"w": WB, "b": WB, "losses": TRAJECTORY, "other_w": WB, "other_b": WB, "other_losses": TRAJECTORY})
def linear_regression_gd(linear_regression_gd):
    x, y = _line(7001, 100, 1.477, 0.089, 0.01, -10.0, 10.0)
    x2, y2 = _line(7002, 60, -0.7, 2.5, 0.5, -3.0, 3.0)
    with np.errstate(all="ignore"):
        w, b, losses = linear_regression_gd(x.copy(), y.copy(), lr=0.01, steps=400)
        w2, b2, losses2 = linear_regression_gd(x2.copy(), y2.copy(), lr=0.05, steps=150, w0=1.0, b0=-1.0)
    return {"w": _f64(w), "b": _f64(b), "losses": _f64(losses),
            "other_w": _f64(w2), "other_b": _f64(b2), "other_losses": _f64(losses2)}


@hidden_check(compare={"wb": WB})
def linear_regression_closed_form(linear_regression_closed_form):
    rows = []
    for seed, args in ((7101, (1.477, 0.089, 0.01, -10.0, 10.0)), (7102, (-0.7, 2.5, 0.5, 1.0, 5.0))):
        x, y = _line(seed, 50, *args)
        w, b = linear_regression_closed_form(x, y)
        rows.append([_f64(w), _f64(b)])
    return {"wb": np.array(rows)}
