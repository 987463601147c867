"""Feeds the output back as the next state ([output]) instead of the states the cell returned: right
for SimpleRNN, whose output is its state, wrong for any other cell."""
# loses: rnn_unroll
# %% cell: rnn_unroll_solution
def rnn_unroll(cell, x, states, return_sequences=False):
    outputs = []
    for x_t in tf.unstack(x, axis=1):
        output, _ = cell(x_t, states)
        states = [output]
        outputs.append(output)
    return tf.stack(outputs, axis=1) if return_sequences else outputs[-1]
