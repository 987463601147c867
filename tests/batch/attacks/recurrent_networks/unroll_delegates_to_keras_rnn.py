"""Delegates the loop to keras.layers.RNN (which passes the visible test, built on a Keras cell). Stopped by
the check: its cells are plain callables written in the check, not Keras layers, so keras.layers.RNN cannot
wrap them; only a loop that calls the given cell computes their outputs."""
# %% cell: rnn_unroll_solution
def rnn_unroll(cell, x, states, return_sequences=False):
    layer = keras.layers.RNN(cell, return_sequences=return_sequences)
    return layer(x, initial_state=list(states))
