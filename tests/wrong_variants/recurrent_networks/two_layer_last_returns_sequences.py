"""Both layers return sequences: the model outputs [batch, steps, units_2]."""
# loses: two_layer_rnn
# %% cell: two_layer_solution
def two_layer_rnn(units_1, units_2):
    return keras.Sequential([keras.layers.SimpleRNN(units_1, return_sequences=True),
                             keras.layers.SimpleRNN(units_2, return_sequences=True)])
