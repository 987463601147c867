"""Stacks the outputs along a new first axis: [steps, batch, units] instead of [batch, steps, units]."""
# loses: rnn_unroll
# %% cell: rnn_unroll_solution
def rnn_unroll(cell, x, states, return_sequences=False):
    outputs = []
    for x_t in tf.unstack(x, axis=1):
        output, states = cell(x_t, states)
        outputs.append(output)
    return tf.stack(outputs) if return_sequences else outputs[-1]
