"""Reuses Keras's own cell: RNNCell subclasses keras.layers.SimpleRNNCell (so kernel, recurrent_kernel, bias,
state_size and the step are Keras's) and only renames nothing. Stopped by the checks: a class that is, or
holds, a Keras recurrent layer is refused."""
# %% cell: rnn_cell_solution
class RNNCell(keras.layers.SimpleRNNCell):
    pass
