"""keras.ops everywhere instead of tf: take for the lookup, the cell with add_weight's positional shape and
a tuple for the state, the unrolling with range(steps) and x[:, t], Keras layers built from RNN(SimpleRNNCell),
the Jacobian from tf.GradientTape's jacobian (pfor), clipping with keras.ops.minimum, the counts from the
formula in one line, and the LSTM gates from slices of z."""
# loses:
# %% cell: embedding_solution
def embedding_lookup(table, ids):
    return keras.ops.take(table, ids, axis=0)
# %% cell: cosine_solution
def cosine_similarity(a, b):
    dot = keras.ops.sum(keras.ops.multiply(a, b), axis=-1)
    return dot / (keras.ops.sqrt(keras.ops.sum(a * a, axis=-1)) * keras.ops.sqrt(keras.ops.sum(b * b, axis=-1)))
# %% cell: rnn_cell_solution
class RNNCell(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight((input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight((self.units, self.units), initializer="orthogonal",
                                                name="recurrent_kernel")
        self.bias = self.add_weight((self.units,), initializer="zeros", name="bias")

    def call(self, inputs, states):
        (h,) = states
        new = keras.ops.tanh(keras.ops.matmul(inputs, self.kernel) + keras.ops.matmul(h, self.recurrent_kernel)
                             + self.bias)
        return new, (new,)
# %% cell: rnn_unroll_solution
def rnn_unroll(cell, x, states, return_sequences=False):
    outputs = []
    for t in range(x.shape[1]):
        output, states = cell(x[:, t], states)
        outputs.append(output)
    if not return_sequences:
        return outputs[-1]
    return keras.ops.stack(outputs, axis=1)
# %% cell: two_layer_solution
def two_layer_rnn(units_1, units_2):
    return keras.Sequential([keras.layers.RNN(keras.layers.SimpleRNNCell(units_1), return_sequences=True),
                             keras.layers.RNN(keras.layers.SimpleRNNCell(units_2))])
# %% cell: jacobian_solution
def state_jacobian_norm(W_hh, h0, T):
    W_hh = tf.convert_to_tensor(W_hh)
    h0 = tf.convert_to_tensor(h0)
    with tf.GradientTape() as tape:
        tape.watch(h0)
        h = h0
        for _ in range(T):
            h = keras.ops.tanh(keras.ops.matmul(h[None, :], W_hh)[0])
    return float(keras.ops.sqrt(keras.ops.sum(keras.ops.square(tape.jacobian(h, h0)))))
# %% cell: orthogonal_norms_answer
NORM_RHO_0_9, NORM_RHO_1_1 = (rho ** 50 * 8 ** 0.5 for rho in (0.9, 1.1))
# %% cell: clip_solution
def clip_by_global_norm(tensors, clip_norm):
    global_norm = keras.ops.sqrt(sum(keras.ops.sum(keras.ops.square(t)) for t in tensors))
    factor = keras.ops.minimum(1.0, clip_norm / global_norm)
    return [t * factor for t in tensors], global_norm
# %% cell: param_counts_answer
SIMPLE_RNN_PARAMS, LSTM_PARAMS, GRU_PARAMS, GRU_RESET_BEFORE_PARAMS = (
    k * (32 * 64 + 64 * 64 + b * 64) for k, b in ((1, 1), (4, 1), (3, 2), (3, 1)))
# %% cell: lstm_solution
def lstm_step(x, h_prev, c_prev, kernel, recurrent_kernel, bias):
    u = h_prev.shape[-1]
    z = keras.ops.matmul(x, kernel) + keras.ops.matmul(h_prev, recurrent_kernel) + bias
    i = keras.ops.sigmoid(z[:, :u])
    f = keras.ops.sigmoid(z[:, u:2 * u])
    g = keras.ops.tanh(z[:, 2 * u:3 * u])
    o = keras.ops.sigmoid(z[:, 3 * u:])
    c = f * c_prev + i * g
    return o * keras.ops.tanh(c), c
