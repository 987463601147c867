"""Averages the second layer's outputs over time (one of the notes' options) instead of taking its last output."""
# loses: two_layer_rnn
# %% cell: two_layer_solution
def two_layer_rnn(units_1, units_2):
    return keras.Sequential([keras.layers.SimpleRNN(units_1, return_sequences=True),
                             keras.layers.SimpleRNN(units_2, return_sequences=True),
                             keras.layers.GlobalAveragePooling1D()])
