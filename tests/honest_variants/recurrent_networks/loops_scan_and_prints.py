"""Loops and leftovers: a lookup through a flat Python loop reshaped back, a manual norm with tf.sqrt, a cell
with its step in a helper and a print left in, tf.scan for the unrolling (states carried as a tuple), a
two-cell stack in one keras.layers.RNN wrapped as a one-layer Sequential, the Jacobian from a batch of copies
of h0 and one tape.gradient, the norms from the formula with math, clipping with tf.clip_by_global_norm's own
formula written out (clip * min(1/norm, 1/clip)), the counts as NumPy integers, and the LSTM step in float64."""
# loses:
# %% cell: embedding_solution
def embedding_lookup(table, ids):
    flat = tf.reshape(ids, [-1])
    rows = [table[int(i)] for i in flat.numpy()]
    found = tf.stack(rows) if rows else tf.zeros([0, table.shape[1]], table.dtype)
    return tf.reshape(found, tf.concat([tf.shape(ids), [table.shape[1]]], axis=0))
# %% cell: cosine_solution
def cosine_similarity(a, b):
    a_len = tf.sqrt(tf.reduce_sum(tf.square(a), axis=-1))
    b_len = tf.sqrt(tf.reduce_sum(tf.square(b), axis=-1))
    return tf.reduce_sum(a * b, axis=-1) / a_len / b_len
# %% cell: rnn_cell_solution
def _elman_step(x, h, kernel, recurrent_kernel, bias):
    return tf.tanh(x @ kernel + h @ recurrent_kernel + bias)


class RNNCell(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units
        print("cell with", units, "units")

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name="recurrent_kernel")
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")

    def call(self, inputs, states):
        h = _elman_step(inputs, states[0], self.kernel, self.recurrent_kernel, self.bias)
        return h, [h]
# %% cell: rnn_unroll_solution
def rnn_unroll(cell, x, states, return_sequences=False):
    first_output, _ = cell(x[:, 0], states)

    def step(carry, x_t):
        _, carried = carry
        output, new_states = cell(x_t, list(carried))
        return output, tuple(new_states)

    outputs, _ = tf.scan(step, tf.transpose(x, [1, 0, 2]), initializer=(tf.zeros_like(first_output), tuple(states)))
    outputs = tf.transpose(outputs, [1, 0, 2])
    return outputs if return_sequences else outputs[:, -1]
# %% cell: two_layer_solution
def two_layer_rnn(units_1, units_2):
    stacked = keras.layers.RNN([keras.layers.SimpleRNNCell(units_1), keras.layers.SimpleRNNCell(units_2)])
    return keras.Sequential([stacked])
# %% cell: jacobian_solution
import math


def state_jacobian_norm(W_hh, h0, T):
    units = len(h0)
    copies = tf.tile(tf.constant(h0, tf.float64)[None, :], [units, 1])  # row i follows h_T[i]
    W = tf.constant(W_hh, tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(copies)
        h = copies
        for _ in range(T):
            h = tf.tanh(h @ W)
        picked = tf.linalg.diag_part(h)
    jacobian = tape.gradient(picked, copies)
    return math.sqrt(float(tf.reduce_sum(jacobian * jacobian)))
# %% cell: orthogonal_norms_answer
NORM_RHO_0_9 = math.pow(0.9, 50) * math.sqrt(8)
NORM_RHO_1_1 = math.pow(1.1, 50) * math.sqrt(8)
# %% cell: clip_solution
def clip_by_global_norm(tensors, clip_norm):
    global_norm = tf.norm(tf.concat([tf.reshape(t, [-1]) for t in tensors], axis=0))
    scale = clip_norm * tf.minimum(1.0 / global_norm, 1.0 / clip_norm)
    return [t * scale for t in tensors], global_norm
# %% cell: param_counts_answer
_n, _u = np.int64(32), np.int64(64)
SIMPLE_RNN_PARAMS = _u * (_n + _u + 1)
LSTM_PARAMS = 4 * SIMPLE_RNN_PARAMS
GRU_RESET_BEFORE_PARAMS = 3 * SIMPLE_RNN_PARAMS
GRU_PARAMS = GRU_RESET_BEFORE_PARAMS + 3 * _u
# %% cell: lstm_solution
def lstm_step(x, h_prev, c_prev, kernel, recurrent_kernel, bias):
    as64 = [tf.cast(t, tf.float64) for t in (x, h_prev, c_prev, kernel, recurrent_kernel, bias)]
    x, h_prev, c_prev, kernel, recurrent_kernel, bias = as64
    i, f, g, o = tf.split(x @ kernel + h_prev @ recurrent_kernel + bias, 4, axis=1)
    c = tf.sigmoid(f) * c_prev + tf.sigmoid(i) * tf.tanh(g)
    return tf.sigmoid(o) * tf.tanh(c), c
