"""Computes the step right but never sets state_size, so keras.layers.RNN cannot use the cell."""
# loses: rnn_cell_in_keras_rnn
# %% cell: rnn_cell_solution
class RNNCell(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        n = input_shape[-1]
        self.kernel = self.add_weight(shape=(n, self.units), initializer="glorot_uniform", name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), initializer="orthogonal",
                                                name="recurrent_kernel")
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")

    def call(self, inputs, states):
        h_previous = states[0]
        h = tf.tanh(tf.matmul(inputs, self.kernel) + tf.matmul(h_previous, self.recurrent_kernel) + self.bias)
        return h, [h]
