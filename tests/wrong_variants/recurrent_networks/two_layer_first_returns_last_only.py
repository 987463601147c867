"""The first layer returns only its last output, so the second gets no sequence to read."""
# loses: two_layer_rnn
# %% cell: two_layer_solution
def two_layer_rnn(units_1, units_2):
    return keras.Sequential([keras.layers.SimpleRNN(units_1), keras.layers.SimpleRNN(units_2)])
