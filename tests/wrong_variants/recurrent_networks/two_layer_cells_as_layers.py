"""Stacks SimpleRNNCell objects as if they were layers (the notes' mistake): a cell does one step."""
# loses: two_layer_rnn
# %% cell: two_layer_solution
def two_layer_rnn(units_1, units_2):
    return keras.Sequential([keras.layers.SimpleRNNCell(units_1), keras.layers.SimpleRNNCell(units_2)])
