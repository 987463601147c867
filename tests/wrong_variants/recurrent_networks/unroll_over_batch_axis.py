"""Unstacks along axis 0 (the batch) instead of the time axis."""
# loses: rnn_unroll
# %% cell: rnn_unroll_solution
def rnn_unroll(cell, x, states, return_sequences=False):
    outputs = []
    for x_t in tf.unstack(x, axis=0):
        output, states = cell(x_t, states)
        outputs.append(output)
    return tf.stack(outputs, axis=1) if return_sequences else outputs[-1]
