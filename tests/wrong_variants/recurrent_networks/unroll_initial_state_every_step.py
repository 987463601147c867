"""Calls the cell with the initial states at every step (the new states are thrown away)."""
# loses: rnn_unroll
# %% cell: rnn_unroll_solution
def rnn_unroll(cell, x, states, return_sequences=False):
    outputs = []
    for x_t in tf.unstack(x, axis=1):
        output, new_states = cell(x_t, states)
        outputs.append(output)
    return tf.stack(outputs, axis=1) if return_sequences else outputs[-1]
