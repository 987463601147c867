"""Hidden checks for recurrent_networks: each probe builds its own seeded inputs and weights,
calls the student's code and returns what it computed.

Evidence: every judged output is the student's code evaluated on hidden inputs with hidden
weights, or a value the student was asked for. Results are read only from real eager tensors
and NumPy arrays (`_result`): an object that computes what it reports when it is read cannot
stand in for one. The unrolling check hands the student's loop cells written here (one with two
states, whose output is not its state), so an answer that calls `keras.layers.SimpleRNN` instead
of looping over the cell gets nothing; the cell task refuses a class that is, or holds, a Keras
recurrent layer. No check calls another task's function: a mistake costs its own task only."""
import operator

import numpy as np
import tensorflow as tf
import keras

from autograder import Close, Exact, hidden_check

# float32 arithmetic of a few matrix products and tanh: a correct answer differs from the
# reference by rounding (~1e-7 relative); the mistakes these checks catch are off by 1e-2 or more.
FLOAT32 = Close(rtol=1e-5, atol=1e-5)
# float64 all the way (the prompt says so): a correct answer differs by ~1e-14 relative.
FLOAT64 = Close(rtol=1e-9, atol=1e-15)

_EAGER_TENSOR = type(tf.constant(0.0))


def _result(value, what="your result"):
    """A result of the student's code as a float64 NumPy copy. Only an eager tensor (converted by
    TensorFlow), a plain np.ndarray, a NumPy scalar or a Python number is read."""
    if type(value) is _EAGER_TENSOR:
        value = value.numpy()
    if not (type(value) is np.ndarray or isinstance(value, (np.generic, float, int))) or isinstance(value, bool):
        raise TypeError(f"{what} must be a tensor or a NumPy array, not {type(value).__name__}")
    return np.array(value, dtype=np.float64, copy=True)


# -- 1. embeddings and cosine similarity ---------------------------------------------------------

@hidden_check(compare={"ids_2d": FLOAT32, "ids_3d": FLOAT32, "ids_0d": FLOAT32, "int64_ids": FLOAT32})
def embedding_lookup(embedding_lookup):
    """Ids of ranks 2, 3 and 0 (repeated ids, the first and the last row), int32 and int64, on
    tables that are not square (a lookup along the wrong axis or flattened ids show)."""
    rng = np.random.default_rng(8101)
    table = rng.normal(size=(11, 6)).astype("float32")
    ids_2d = np.array([[0, 3, 3, 10], [7, 0, 1, 10], [5, 5, 5, 2]], dtype="int32")
    ids_3d = rng.integers(0, 11, size=(2, 3, 4)).astype("int32")
    other = rng.normal(size=(4, 9)).astype("float32")
    return {
        "ids_2d": _result(embedding_lookup(tf.constant(table), tf.constant(ids_2d))),
        "ids_3d": _result(embedding_lookup(tf.constant(table), tf.constant(ids_3d))),
        "ids_0d": _result(embedding_lookup(tf.constant(other), tf.constant(3))),
        "int64_ids": _result(embedding_lookup(tf.constant(other), tf.constant([[2, 0], [3, 3]], dtype=tf.int64))),
    }


def _pairs(rng, rows, n):
    """Word-vector pairs with norms from 1e-3 to 1e3: parallel, opposite, orthogonal and random."""
    a = rng.normal(size=(rows, n)) * np.logspace(-3, 3, rows)[:, None]
    b = rng.normal(size=(rows, n)) * np.logspace(2, -2, rows)[:, None]
    b[0] = 7.0 * a[0]                                   # same direction: 1
    b[1] = -0.01 * a[1]                                 # opposite: -1
    b[2] = np.roll(a[2], 1) * 0.0
    b[2][:2] = [a[2][1], -a[2][0]]                      # orthogonal: 0
    return a.astype("float32"), b.astype("float32")


@hidden_check(compare={"rows_2d": FLOAT32, "rows_3d": FLOAT32, "single": FLOAT32})
def cosine_similarity(cosine_similarity):
    rng = np.random.default_rng(8201)
    a2, b2 = _pairs(rng, 8, 5)
    a3, b3 = _pairs(rng, 6, 4)
    a1, b1 = _pairs(rng, 4, 7)
    return {
        "rows_2d": _result(cosine_similarity(tf.constant(a2), tf.constant(b2))),
        "rows_3d": _result(cosine_similarity(tf.constant(a3.reshape(2, 3, 4)), tf.constant(b3.reshape(2, 3, 4)))),
        "single": _result(cosine_similarity(tf.constant(a1[3]), tf.constant(b1[3]))),
    }


# -- 2. a SimpleRNN cell from scratch -------------------------------------------------------------

_KERAS_RECURRENT = (keras.layers.SimpleRNNCell, keras.layers.LSTMCell, keras.layers.GRUCell, keras.layers.RNN)


def _own_cell(RNNCell, cell=None):
    """The task is to write the cell: Keras's own (subclassed, or held as a sub-layer) is refused."""
    if isinstance(RNNCell, type) and issubclass(RNNCell, _KERAS_RECURRENT):
        raise TypeError("RNNCell must compute the step itself, not subclass a Keras recurrent layer")
    if cell is not None and list(cell._flatten_layers(include_self=False)):
        raise TypeError("RNNCell must hold its own kernel, recurrent_kernel and bias, not other layers")


def _cell_with_weights(RNNCell, n, units, rng, scale=0.6):
    """The student's cell built for n features, its three weights set to seeded values (a
    non-symmetric recurrent kernel, a non-zero bias) with `assign`, which needs the shapes of
    the prompt."""
    _own_cell(RNNCell)
    cell = RNNCell(units)
    cell.build((None, n))
    _own_cell(RNNCell, cell)
    weights = {"kernel": rng.normal(0, scale, (n, units)), "recurrent_kernel": rng.normal(0, scale, (units, units)),
               "bias": rng.normal(0, 0.5, (units,))}
    for name, values in weights.items():
        getattr(cell, name).assign(values.astype("float32"))
    return cell


def _step(cell, x, state):
    """One call of the cell: (output, the one state in the returned list)."""
    output, states = cell(tf.constant(x), [tf.constant(state)])
    if not isinstance(states, (list, tuple)):
        raise TypeError(f"the cell must return its new state in a list, [h], not a {type(states).__name__}")
    if len(states) != 1:
        raise ValueError(f"the cell must return a list of one state, got {len(states)}")
    return _result(output, "the output"), _result(states[0], "the state")


@hidden_check(compare={"outputs": FLOAT32, "states": FLOAT32, "other_shape": FLOAT32})
def rnn_cell_step(RNNCell):
    """Three chained steps from a non-zero state (5 features, 4 units, batch 3), and one step of
    another cell (2 features, 6 units, batch 1)."""
    rng = np.random.default_rng(8301)
    cell = _cell_with_weights(RNNCell, 5, 4, rng)
    state = rng.normal(0, 0.8, (3, 4)).astype("float32")
    outputs, states = [], []
    for _ in range(3):
        output, state = _step(cell, rng.normal(size=(3, 5)).astype("float32"), state.astype("float32"))
        outputs.append(output)
        states.append(state)
    other = _cell_with_weights(RNNCell, 2, 6, rng, scale=1.0)
    out_other, state_other = _step(other, rng.normal(size=(1, 2)).astype("float32"),
                                   rng.normal(size=(1, 6)).astype("float32"))
    return {"outputs": np.stack(outputs), "states": np.stack(states),
            "other_shape": np.concatenate([out_other.ravel(), state_other.ravel()])}


@hidden_check(compare={"sequences": FLOAT32, "last": FLOAT32})
def rnn_cell_in_keras_rnn(RNNCell):
    """The cell inside keras.layers.RNN (which reads its state_size and calls it once per step
    from a zero state): all the outputs of a 7-step sequence, and the last output of another."""
    rng = np.random.default_rng(8401)
    _own_cell(RNNCell)
    cell = RNNCell(5)
    layer = keras.layers.RNN(cell, return_sequences=True)
    x = rng.normal(size=(3, 7, 4)).astype("float32")
    layer(x)  # builds the cell for 4 features
    _own_cell(RNNCell, cell)
    for name, shape in (("kernel", (4, 5)), ("recurrent_kernel", (5, 5)), ("bias", (5,))):
        getattr(cell, name).assign(rng.normal(0, 0.6, shape).astype("float32"))
    sequences = _result(layer(x))
    single = RNNCell(3)
    last_layer = keras.layers.RNN(single)
    y = rng.normal(size=(2, 9, 2)).astype("float32")
    last_layer(y)
    for name, shape in (("kernel", (2, 3)), ("recurrent_kernel", (3, 3)), ("bias", (3,))):
        getattr(single, name).assign(rng.normal(0, 0.9, shape).astype("float32"))
    return {"sequences": sequences, "last": _result(last_layer(y))}


# -- 3. unrolling over time -----------------------------------------------------------------------

class _ElmanCell:
    """A one-state cell written here (not a SimpleRNN: a leaky update), so that only a loop over
    the time steps that calls it gives the right outputs."""

    def __init__(self, rng, n, units):
        self.a = tf.constant(rng.normal(0, 0.7, (n, units)), tf.float32)
        self.b = tf.constant(rng.normal(0, 0.7, (units, units)), tf.float32)
        self.c = tf.constant(rng.normal(0, 0.3, (units,)), tf.float32)

    def __call__(self, x_t, states):
        (h,) = states
        new = 0.7 * tf.tanh(tf.matmul(x_t, self.a) + tf.matmul(h, self.b) + self.c) + 0.3 * h
        return new, [new]


class _TwoStateCell:
    """A cell with two states, like an LSTM, whose output is neither of them: the loop must
    pass on the states the cell returns and collect its outputs."""

    def __init__(self, rng, n, units):
        self.a = tf.constant(rng.normal(0, 0.7, (n, units)), tf.float32)
        self.b = tf.constant(rng.normal(0, 0.7, (units, units)), tf.float32)

    def __call__(self, x_t, states):
        h, c = states
        c_new = 0.6 * c + tf.tanh(tf.matmul(x_t, self.a) + tf.matmul(h, self.b))
        h_new = tf.sigmoid(c_new) * tf.tanh(c_new)
        return 2.0 * h_new - c_new, [h_new, c_new]


def _keras_simple_rnn_cell(rng, n, units):
    """Keras's SimpleRNNCell with seeded weights: unrolled from zeros, it is keras.layers.SimpleRNN."""
    cell = keras.layers.SimpleRNNCell(units)
    cell.build((None, n))
    shapes = [((n, units), 0.7), ((units, units), 0.7), ((units,), 0.3)]
    cell.set_weights([rng.normal(0, scale, shape).astype("float32") for shape, scale in shapes])
    return cell


@hidden_check(compare={"one_state_last": FLOAT32, "one_state_sequences": FLOAT32,
                       "two_states_last": FLOAT32, "two_states_sequences": FLOAT32, "single_step": FLOAT32,
                       "keras_cell_sequences": FLOAT32})
def rnn_unroll(rnn_unroll):
    """The student's loop on cells written here, and on Keras's SimpleRNNCell from zero states
    (what keras.layers.SimpleRNN computes)."""
    rng = np.random.default_rng(8501)
    elman = _ElmanCell(rng, 3, 4)
    x = rng.normal(size=(2, 6, 3)).astype("float32")
    h0 = [tf.constant(rng.normal(0, 0.5, (2, 4)), tf.float32)]
    two = _TwoStateCell(rng, 2, 3)
    y = rng.normal(size=(4, 5, 2)).astype("float32")
    s0 = [tf.constant(rng.normal(0, 0.5, (4, 3)), tf.float32), tf.constant(rng.normal(0, 0.5, (4, 3)), tf.float32)]
    z = rng.normal(size=(3, 1, 3)).astype("float32")
    z0 = [tf.constant(rng.normal(0, 0.5, (3, 4)), tf.float32)]
    keras_cell = _keras_simple_rnn_cell(rng, 4, 5)
    w = rng.normal(size=(2, 8, 4)).astype("float32")
    return {
        "keras_cell_sequences": _result(rnn_unroll(keras_cell, tf.constant(w), [tf.zeros((2, 5))],
                                                   return_sequences=True)),
        "one_state_last": _result(rnn_unroll(elman, tf.constant(x), list(h0))),
        "one_state_sequences": _result(rnn_unroll(elman, tf.constant(x), list(h0), return_sequences=True)),
        "two_states_last": _result(rnn_unroll(two, tf.constant(y), list(s0), return_sequences=False)),
        "two_states_sequences": _result(rnn_unroll(two, tf.constant(y), list(s0), return_sequences=True)),
        "single_step": _result(rnn_unroll(elman, tf.constant(z), list(z0), return_sequences=True)),
    }


@hidden_check(compare={"outputs": FLOAT32, "other_sizes": FLOAT32})
def two_layer_rnn(two_layer_rnn):
    """The model built by calling it on a hidden batch, every weight set to seeded values with
    set_weights (shapes as Keras's two SimpleRNN layers hold them), then its outputs."""
    rng = np.random.default_rng(8601)
    results = []
    for units_1, units_2, shape in ((6, 4, (3, 8, 5)), (3, 7, (2, 4, 2))):
        model = two_layer_rnn(units_1, units_2)
        x = rng.normal(size=shape).astype("float32")
        model(x)
        model.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in model.get_weights()])
        results.append(_result(model(x)))
    return {"outputs": results[0], "other_sizes": results[1]}


# -- 4. gradients through time ---------------------------------------------------------------------

def _scaled(rng, units, radius):
    w = rng.normal(size=(units, units))
    return w * (radius / np.max(np.abs(np.linalg.eigvals(w))))


@hidden_check(compare={"norms_from_zero": FLOAT64, "norms_from_state": FLOAT64})
def state_jacobian_norm(state_jacobian_norm):
    """Spectral radii below, near and above 1, lengths 1 to 30, from h0 = 0 (where tanh' = 1)
    and from a non-zero state (where tanh's slope and the direction of the product matter)."""
    rng = np.random.default_rng(8701)
    from_zero, from_state = [], []
    for units, radius in ((6, 0.5), (5, 0.95), (6, 1.3)):
        w = _scaled(rng, units, radius)
        h0 = rng.normal(0, 0.6, units)
        for steps in (1, 6, 30):
            from_zero.append(_result(state_jacobian_norm(w.copy(), np.zeros(units), steps)))
            from_state.append(_result(state_jacobian_norm(w.copy(), h0.copy(), steps)))
    return {"norms_from_zero": np.array(from_zero), "norms_from_state": np.array(from_state)}


@hidden_check(compare={"below": Close(rtol=1e-6, atol=0), "above": Close(rtol=1e-6, atol=0)})
def orthogonal_norms(norm_below, norm_above):
    """Two numbers asked as values."""
    return {"below": float(norm_below), "above": float(norm_above)}


def _gradients(rng, scale):
    shapes = [(3, 4), (4,), (2, 2, 3), (1,)]
    return [tf.constant(rng.normal(0, scale, s), tf.float32) for s in shapes]


@hidden_check(compare={"clipped": FLOAT32, "global_norms": FLOAT32})
def clip_global_norm(clip_by_global_norm):
    """Gradients whose global norm is above the limit (scaled together), below it (left as they
    are) and far above it with one tensor much larger than the others."""
    rng = np.random.default_rng(8801)
    clipped, norms = [], []
    cases = [(_gradients(rng, 2.0), 1.0), (_gradients(rng, 0.1), 5.0), (_gradients(rng, 1.0), 0.5)]
    cases[2][0][2] = cases[2][0][2] * 40.0
    for tensors, clip_norm in cases:
        result, global_norm = clip_by_global_norm(list(tensors), clip_norm)
        if len(result) != len(tensors):
            raise ValueError(f"expected {len(tensors)} clipped tensors, got {len(result)}")
        clipped.append(np.concatenate([_result(t, "a clipped tensor").ravel() for t in result]))
        norms.append(_result(global_norm, "the global norm"))
    return {"clipped": np.concatenate(clipped), "global_norms": np.array(norms)}


# -- 5. LSTM and GRU -----------------------------------------------------------------------------

@hidden_check(compare={"counts": Exact()})
def rnn_param_counts(simple_rnn, lstm, gru, gru_reset_before):
    """Four integers asked as values (Python or NumPy integers; a float is not an int)."""
    return {"counts": np.array([operator.index(v) for v in (simple_rnn, lstm, gru, gru_reset_before)],
                               dtype=np.int64)}


def _lstm_weights(rng, n, units):
    return (tf.constant(rng.normal(0, 0.6, (n, 4 * units)), tf.float32),
            tf.constant(rng.normal(0, 0.6, (units, 4 * units)), tf.float32),
            tf.constant(rng.normal(0, 0.8, (4 * units,)), tf.float32))


@hidden_check(compare={"h": FLOAT32, "c": FLOAT32, "other_h": FLOAT32, "other_c": FLOAT32})
def lstm_step(lstm_step):
    """Three chained steps (3 features, 5 units, batch 4) from a non-zero state, with weights that
    give every gate a spread of values; and one step of another size."""
    rng = np.random.default_rng(8901)
    kernel, recurrent_kernel, bias = _lstm_weights(rng, 3, 5)
    h = tf.constant(rng.normal(0, 0.5, (4, 5)), tf.float32)
    c = tf.constant(rng.normal(0, 1.0, (4, 5)), tf.float32)
    hs, cs = [], []
    for _ in range(3):
        x = tf.constant(rng.normal(size=(4, 3)), tf.float32)
        h, c = lstm_step(x, h, c, kernel, recurrent_kernel, bias)
        hs.append(_result(h, "h"))
        cs.append(_result(c, "c"))
        h, c = tf.constant(hs[-1], tf.float32), tf.constant(cs[-1], tf.float32)
    kernel, recurrent_kernel, bias = _lstm_weights(rng, 6, 2)
    x = tf.constant(rng.normal(size=(1, 6)), tf.float32)
    h_other, c_other = lstm_step(x, tf.constant(rng.normal(size=(1, 2)), tf.float32),
                                 tf.constant(rng.normal(size=(1, 2)), tf.float32), kernel, recurrent_kernel, bias)
    return {"h": np.stack(hs), "c": np.stack(cs), "other_h": _result(h_other, "h"), "other_c": _result(c_other, "c")}
