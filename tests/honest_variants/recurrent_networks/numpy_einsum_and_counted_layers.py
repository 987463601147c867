"""Other formulations: a one-hot product for the lookup, l2-normalised vectors and einsum for the cosine,
einsum in the cell, a tf.TensorArray in the unrolling, a Sequential built with add(), the Jacobian multiplied
in NumPy, the norms measured with an orthogonal matrix and the student's own function, clipping with
tf.linalg.global_norm and tf.cond, the counts read from Keras layers (count_params), and an LSTM step with
one product per gate."""
# loses:
# %% cell: embedding_solution
def embedding_lookup(table, ids):
    return tf.tensordot(tf.one_hot(ids, tf.shape(table)[0], dtype=table.dtype), table, axes=1)
# %% cell: cosine_solution
def cosine_similarity(a, b):
    return tf.einsum("...i,...i->...", tf.math.l2_normalize(a, axis=-1), tf.math.l2_normalize(b, axis=-1))
# %% cell: rnn_cell_solution
class RNNCell(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        features = int(input_shape[-1])
        self.kernel = self.add_weight(name="kernel", shape=[features, self.units],
                                      initializer=keras.initializers.GlorotUniform())
        self.recurrent_kernel = self.add_weight(name="recurrent_kernel", shape=[self.units, self.units],
                                                initializer=keras.initializers.Orthogonal())
        self.bias = self.add_weight(name="bias", shape=[self.units], initializer=keras.initializers.Zeros())

    def call(self, inputs, states):
        pre = tf.einsum("bi,iu->bu", inputs, self.kernel) + tf.einsum("bu,uv->bv", states[0], self.recurrent_kernel)
        state = tf.math.tanh(pre + self.bias)
        return state, [state]
# %% cell: rnn_unroll_solution
def rnn_unroll(cell, x, states, return_sequences=False):
    steps = x.shape[1]
    collected = tf.TensorArray(tf.float32, size=steps)
    for t in range(steps):
        output, states = cell(x[:, t, :], states)
        collected = collected.write(t, output)
    sequence = tf.transpose(collected.stack(), [1, 0, 2])
    return sequence if return_sequences else sequence[:, -1, :]
# %% cell: two_layer_solution
def two_layer_rnn(units_1, units_2):
    model = keras.Sequential()
    model.add(keras.layers.SimpleRNN(units_1, activation="tanh", return_sequences=True))
    model.add(keras.layers.SimpleRNN(units_2, return_sequences=False))
    return model
# %% cell: jacobian_solution
def state_jacobian_norm(W_hh, h0, T):
    W = np.asarray(W_hh, dtype=np.float64)
    h = np.asarray(h0, dtype=np.float64)
    product = np.eye(W.shape[0])
    for _ in range(T):
        h = np.tanh(h @ W)
        product = np.diag(1.0 - h * h) @ W.T @ product
    return float(np.sqrt(np.sum(product ** 2)))
# %% cell: orthogonal_norms_answer
_Q = keras.initializers.Orthogonal(seed=1)((8, 8)).numpy().astype(np.float64)
NORM_RHO_0_9 = state_jacobian_norm(0.9 * _Q, np.zeros(8), 50)
NORM_RHO_1_1 = state_jacobian_norm(1.1 * _Q, np.zeros(8), 50)
print(NORM_RHO_0_9, NORM_RHO_1_1)
# %% cell: clip_solution
def clip_by_global_norm(tensors, clip_norm):
    global_norm = tf.linalg.global_norm(tensors)
    scale = tf.cond(global_norm > clip_norm, lambda: clip_norm / global_norm, lambda: tf.constant(1.0))
    return [tf.multiply(t, scale) for t in tensors], global_norm
# %% cell: param_counts_answer
def _count(layer):
    model = keras.Sequential([keras.Input((None, 32)), layer])
    return np.int64(model.count_params())


SIMPLE_RNN_PARAMS = _count(keras.layers.SimpleRNN(64))
LSTM_PARAMS = _count(keras.layers.LSTM(64))
GRU_PARAMS = _count(keras.layers.GRU(64))
GRU_RESET_BEFORE_PARAMS = _count(keras.layers.GRU(64, reset_after=False))
# %% cell: lstm_solution
def lstm_step(x, h_prev, c_prev, kernel, recurrent_kernel, bias):
    gates = []
    for k, w, r, b in zip(range(4), tf.split(kernel, 4, axis=1), tf.split(recurrent_kernel, 4, axis=1),
                          tf.split(bias, 4)):
        gates.append(x @ w + h_prev @ r + b)
    input_gate, forget_gate, output_gate = tf.sigmoid(gates[0]), tf.sigmoid(gates[1]), tf.sigmoid(gates[3])
    c = forget_gate * c_prev + input_gate * tf.tanh(gates[2])
    return output_gate * tf.tanh(c), c
