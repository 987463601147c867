"""recurrent_networks: the reference solution computes what Keras 3 computes (Embedding, the SimpleRNN
cell and layer with return_sequences False and True, a two-layer stack, LSTMCell), the parameter counts
are Keras's, clipping equals tf.clip_by_global_norm, the Jacobian norm equals the tape's, and the facts
the prompts state (initialisers, gate order, GRU's second bias, a cell called on a sequence) are true."""
import numpy as np
import pytest

ASSIGNMENT = "recurrent_networks"

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")


def _f32(rng, *shape, scale=1.0):
    return (rng.normal(size=shape) * scale).astype("float32")


def test_embedding_lookup_equals_keras_embedding(solution):
    rng = np.random.default_rng(0)
    table = _f32(rng, 9, 4)
    layer = keras.layers.Embedding(9, 4)
    layer.build((None,))
    layer.set_weights([table])
    assert layer.embeddings.trainable and tuple(layer.embeddings.shape) == (9, 4)
    for ids in (np.array(3), np.array([8, 0, 0]), rng.integers(0, 9, size=(2, 3, 5))):
        ours = solution["embedding_lookup"](tf.constant(table), tf.constant(ids))
        theirs = layer(ids)
        assert ours.dtype == theirs.dtype == tf.float32
        np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))
        np.testing.assert_array_equal(np.asarray(ours), table[ids])  # v = table[i]


def test_cosine_similarity_against_keras_and_the_notes_formula(solution):
    rng = np.random.default_rng(1)
    a, b = _f32(rng, 6, 5), _f32(rng, 6, 5)
    ours = np.asarray(solution["cosine_similarity"](tf.constant(a), tf.constant(b)))
    np.testing.assert_allclose(ours, -np.asarray(keras.losses.cosine_similarity(a, b, axis=-1)), rtol=1e-5, atol=1e-6)
    metric = keras.metrics.CosineSimilarity()
    metric.update_state(a, b)
    np.testing.assert_allclose(float(metric.result()), ours.mean(), rtol=1e-5)
    dot = (a * b).sum(axis=-1)
    assert set(np.round(dot / np.abs(dot), 6)) <= {-1.0, 1.0}  # the notes' a.b / |a.b| measures nothing
    assert np.all(np.abs(ours) < 1.0)


def _set_cell_weights(cell, weights):
    for variable, value in zip((cell.kernel, cell.recurrent_kernel, cell.bias), weights):
        variable.assign(value)


def test_simple_rnn_cell_defaults_and_contract():
    cell = keras.layers.SimpleRNNCell(3)
    cell.build((None, 4))
    assert [tuple(w.shape) for w in (cell.kernel, cell.recurrent_kernel, cell.bias)] == [(4, 3), (3, 3), (3,)]
    assert type(cell.kernel_initializer).__name__ == "GlorotUniform"
    assert type(cell.recurrent_initializer).__name__ == "Orthogonal"
    assert type(cell.bias_initializer).__name__ == "Zeros"
    rng = np.random.default_rng(2)
    output, states = cell(_f32(rng, 2, 4), [_f32(rng, 2, 3)])
    assert isinstance(states, list) and len(states) == 1
    np.testing.assert_array_equal(np.asarray(output), np.asarray(states[0]))  # o_t = h_t
    with pytest.raises(TypeError, match="states"):  # a cell does one step: no loop over a sequence
        keras.layers.SimpleRNNCell(64)(tf.random.normal([4, 80, 100]))


def test_rnn_cell_equals_keras_cell_and_formula(solution):
    rng = np.random.default_rng(3)
    ours, theirs = solution["RNNCell"](4), keras.layers.SimpleRNNCell(4)
    ours.build((None, 5))
    theirs.build((None, 5))
    weights = [_f32(rng, 5, 4, scale=0.7), _f32(rng, 4, 4, scale=0.7), _f32(rng, 4, scale=0.5)]
    _set_cell_weights(ours, weights)
    theirs.set_weights(weights)
    h = _f32(rng, 3, 4)
    for _ in range(3):
        x = _f32(rng, 3, 5)
        out, (state,) = ours(x, [h])
        keras_out, (keras_state,) = theirs(x, [h])
        formula = np.tanh(x @ weights[0] + h @ weights[1] + weights[2])
        np.testing.assert_allclose(np.asarray(out), np.asarray(keras_out), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(np.asarray(state), formula, rtol=1e-5, atol=1e-6)
        h = np.asarray(state)
    ours_layer = keras.layers.RNN(solution["RNNCell"](4), return_sequences=True)
    x = _f32(rng, 2, 6, 5)
    ours_layer(x)
    _set_cell_weights(ours_layer.cell, weights)
    keras_layer = keras.layers.SimpleRNN(4, return_sequences=True)
    keras_layer.build(x.shape)
    keras_layer.set_weights(weights)
    np.testing.assert_allclose(np.asarray(ours_layer(x)), np.asarray(keras_layer(x)), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("cell_name", ["keras", "solution"])
def test_unrolling_equals_keras_simple_rnn(solution, cell_name):
    rng = np.random.default_rng(4)
    x = _f32(rng, 3, 7, 2)
    weights = [_f32(rng, 2, 5, scale=0.8), _f32(rng, 5, 5, scale=0.8), _f32(rng, 5, scale=0.3)]
    cell = keras.layers.SimpleRNNCell(5) if cell_name == "keras" else solution["RNNCell"](5)
    cell.build((None, 2))
    _set_cell_weights(cell, weights)
    for return_sequences in (False, True):
        layer = keras.layers.SimpleRNN(5, return_sequences=return_sequences)
        layer.build(x.shape)
        layer.set_weights(weights)
        ours = solution["rnn_unroll"](cell, tf.constant(x), [tf.zeros((3, 5))], return_sequences=return_sequences)
        assert tuple(ours.shape) == ((3, 7, 5) if return_sequences else (3, 5))
        np.testing.assert_allclose(np.asarray(ours), np.asarray(layer(x)), rtol=1e-5, atol=1e-6)
    assert keras.layers.SimpleRNN(5).return_sequences is False  # the default: the last output only


def test_unrolling_an_lstm_cell_equals_keras_lstm(solution):
    """The loop passes on the states the cell returns ([h, c]), not its output."""
    rng = np.random.default_rng(5)
    x = _f32(rng, 2, 6, 3)
    cell = keras.layers.LSTMCell(4)
    cell.build((None, 3))
    layer = keras.layers.LSTM(4, return_sequences=True)
    layer.build(x.shape)
    layer.set_weights(cell.get_weights())
    zeros = [tf.zeros((2, 4)), tf.zeros((2, 4))]
    np.testing.assert_allclose(np.asarray(solution["rnn_unroll"](cell, tf.constant(x), zeros, return_sequences=True)),
                               np.asarray(layer(x)), rtol=1e-5, atol=1e-6)


def test_two_layer_rnn_equals_stacked_cells(solution):
    rng = np.random.default_rng(6)
    x = _f32(rng, 2, 5, 3)
    model = solution["two_layer_rnn"](6, 4)
    assert tuple(model(x).shape) == (2, 4)
    weights = [_f32(rng, *w.shape, scale=0.5) for w in model.get_weights()]
    model.set_weights(weights)
    cells = [keras.layers.SimpleRNNCell(6), keras.layers.SimpleRNNCell(4)]
    cells[0].build((None, 3))
    cells[1].build((None, 6))
    cells[0].set_weights(weights[:3])
    cells[1].set_weights(weights[3:])
    h0, h1 = [tf.zeros((2, 6))], [tf.zeros((2, 4))]
    for x_t in tf.unstack(tf.constant(x), axis=1):  # the notes' loop over two cells, step by step
        out0, h0 = cells[0](x_t, h0)
        out1, h1 = cells[1](out0, h1)
    np.testing.assert_allclose(np.asarray(model(x)), np.asarray(out1), rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError):  # without return_sequences the second layer gets no sequence
        keras.Sequential([keras.layers.SimpleRNN(6), keras.layers.SimpleRNN(4)])(x)


def _tape_jacobian_norm(w, h0, steps):
    w, h0 = tf.constant(w), tf.constant(h0)
    with tf.GradientTape() as tape:
        tape.watch(h0)
        h = h0
        for _ in range(steps):
            h = tf.tanh(tf.linalg.matvec(w, h, transpose_a=True))
    return float(tf.norm(tape.jacobian(h, h0)))


def test_state_jacobian_norm_equals_the_tape_and_the_two_regimes(solution):
    rng = np.random.default_rng(7)
    w = rng.normal(size=(6, 6))
    radius = np.max(np.abs(np.linalg.eigvals(w)))
    h0 = rng.normal(0, 0.6, 6)
    for scale in (0.5, 1.3):
        for steps in (1, 5, 20):
            for start in (np.zeros(6), h0):
                ours = solution["state_jacobian_norm"](w * scale / radius, start, steps)
                assert isinstance(ours, float)
                np.testing.assert_allclose(ours, _tape_jacobian_norm(w * scale / radius, start, steps), rtol=1e-10)
    small = [solution["state_jacobian_norm"](w * 0.8 / radius, np.zeros(6), t) for t in (10, 20, 40)]
    large = [solution["state_jacobian_norm"](w * 1.2 / radius, np.zeros(6), t) for t in (10, 20, 40)]
    assert small[0] > small[1] > small[2] and small[2] < 1e-2      # vanishing
    assert large[0] < large[1] < large[2] and large[2] > 1e2       # exploding (h stays 0: no saturation)


def test_orthogonal_norms(solution):
    q = keras.initializers.Orthogonal(seed=3)((8, 8)).numpy().astype(np.float64)
    np.testing.assert_allclose(q.T @ q, np.eye(8), atol=1e-6)
    assert np.isclose(np.linalg.norm(q), np.sqrt(8), rtol=1e-6)
    for rho, answer in ((0.9, solution["NORM_RHO_0_9"]), (1.1, solution["NORM_RHO_1_1"])):
        np.testing.assert_allclose(_tape_jacobian_norm(rho * q, np.zeros(8), 50), answer, rtol=1e-5)
    assert abs(0.9 ** 50 - 0.005) < 0.0005  # the free-text answer's number


def test_clip_by_global_norm_equals_tensorflow(solution):
    rng = np.random.default_rng(8)
    for scale, clip_norm in ((2.0, 1.0), (0.1, 5.0), (1.0, 0.5)):
        tensors = [tf.constant(_f32(rng, *s, scale=scale)) for s in [(3, 4), (4,), (2, 2, 3), (1,)]]
        ours, ours_norm = solution["clip_by_global_norm"](tensors, clip_norm)
        theirs, their_norm = tf.clip_by_global_norm(tensors, clip_norm)
        np.testing.assert_allclose(float(ours_norm), float(their_norm), rtol=1e-6)
        np.testing.assert_allclose(float(their_norm), float(tf.linalg.global_norm(tensors)), rtol=1e-6)
        for mine, tf_clipped in zip(ours, theirs):
            np.testing.assert_allclose(np.asarray(mine), np.asarray(tf_clipped), rtol=1e-6, atol=1e-7)
    # the direction is kept: clipped = factor * original, one factor for all tensors
    tensors = [tf.constant([3.0, 0.0]), tf.constant([[0.0], [4.0]])]
    clipped, _ = solution["clip_by_global_norm"](tensors, 1.0)
    np.testing.assert_allclose(np.asarray(clipped[0]), [0.6, 0.0], rtol=1e-6)
    np.testing.assert_allclose(np.asarray(clipped[1]), [[0.0], [0.8]], rtol=1e-6)


def test_parameter_counts_are_keras(solution):
    def count(layer):
        return keras.Sequential([keras.Input((None, 32)), layer]).count_params()
    assert count(keras.layers.SimpleRNN(64)) == solution["SIMPLE_RNN_PARAMS"] == 6208
    assert count(keras.layers.LSTM(64)) == solution["LSTM_PARAMS"] == 24832
    assert count(keras.layers.GRU(64)) == solution["GRU_PARAMS"] == 18816
    assert count(keras.layers.GRU(64, reset_after=False)) == solution["GRU_RESET_BEFORE_PARAMS"] == 18624


def test_lstm_and_gru_weight_shapes_and_defaults():
    lstm = keras.layers.LSTMCell(5)
    lstm.build((None, 3))
    assert [tuple(w.shape) for w in lstm.weights] == [(3, 20), (5, 20), (20,)]
    assert lstm.activation is keras.activations.tanh and lstm.recurrent_activation is keras.activations.sigmoid
    assert lstm.unit_forget_bias  # the forget block of the bias starts at 1
    np.testing.assert_array_equal(np.asarray(lstm.bias)[5:10], 1.0)
    np.testing.assert_array_equal(np.asarray(lstm.bias)[:5], 0.0)
    gru = keras.layers.GRUCell(5)
    assert gru.reset_after is True
    gru.build((None, 3))
    assert [tuple(w.shape) for w in gru.weights] == [(3, 15), (5, 15), (2, 15)]
    old = keras.layers.GRUCell(5, reset_after=False)
    old.build((None, 3))
    assert tuple(old.bias.shape) == (15,)


def test_lstm_step_equals_keras_lstm_cell(solution):
    rng = np.random.default_rng(9)
    cell = keras.layers.LSTMCell(5)
    cell.build((None, 3))
    weights = [_f32(rng, 3, 20, scale=0.6), _f32(rng, 5, 20, scale=0.6), _f32(rng, 20, scale=0.8)]
    cell.set_weights(weights)
    h, c = _f32(rng, 4, 5), _f32(rng, 4, 5)
    for _ in range(3):
        x = _f32(rng, 4, 3)
        output, (keras_h, keras_c) = cell(x, [h, c])
        ours_h, ours_c = solution["lstm_step"](tf.constant(x), tf.constant(h), tf.constant(c),
                                               *map(tf.constant, weights))
        np.testing.assert_allclose(np.asarray(ours_h), np.asarray(keras_h), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(np.asarray(ours_c), np.asarray(keras_c), rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(np.asarray(output), np.asarray(keras_h))  # the output is h
        h, c = np.asarray(keras_h), np.asarray(keras_c)
    # the gate order matters: another order gives other states
    z = x @ weights[0] + h @ weights[1] + weights[2]
    i, f, o, g = np.split(z, 4, axis=1)  # i, f, o, g is not Keras's order
    sigmoid = lambda v: 1 / (1 + np.exp(-v))
    wrong_c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    _, (_, right_c) = cell(x, [h, c])
    assert np.abs(wrong_c - np.asarray(right_c)).max() > 0.1


def test_forget_gate_is_the_cell_state_jacobian():
    """The free-text answer: along the cell-state path, dc_t/dc_{t-1} = diag(f_t)."""
    rng = np.random.default_rng(10)
    cell = keras.layers.LSTMCell(3)
    cell.build((None, 2))
    x, h, c = tf.constant(_f32(rng, 1, 2)), tf.constant(_f32(rng, 1, 3)), tf.constant(_f32(rng, 1, 3))
    with tf.GradientTape() as tape:
        tape.watch(c)
        _, (_, c_new) = cell(x, [h, c])
    jacobian = tape.batch_jacobian(c_new, c)[0]
    kernel, recurrent_kernel, bias = (np.asarray(w) for w in cell.weights)
    z = np.asarray(x) @ kernel + np.asarray(h) @ recurrent_kernel + bias
    forget = 1 / (1 + np.exp(-z[0, 3:6]))
    np.testing.assert_allclose(np.asarray(jacobian), np.diag(forget), rtol=1e-5, atol=1e-6)
