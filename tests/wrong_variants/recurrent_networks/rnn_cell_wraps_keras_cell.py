"""Hands the step to Keras's own SimpleRNNCell held inside (right values, but not the task: refused)."""
# loses: rnn_cell_step, rnn_cell_in_keras_rnn
# %% cell: rnn_cell_solution
class RNNCell(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units
        self.inner = keras.layers.SimpleRNNCell(units)

    def build(self, input_shape):
        self.inner.build(input_shape)
        self.kernel = self.inner.kernel
        self.recurrent_kernel = self.inner.recurrent_kernel
        self.bias = self.inner.bias

    def call(self, inputs, states):
        return self.inner(inputs, states)
