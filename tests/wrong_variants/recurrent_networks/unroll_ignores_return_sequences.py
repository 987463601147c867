"""Always returns the last output, whatever return_sequences says."""
# loses: rnn_unroll
# %% cell: rnn_unroll_solution
def rnn_unroll(cell, x, states, return_sequences=False):
    for x_t in tf.unstack(x, axis=1):
        output, states = cell(x_t, states)
    return output
