"""Counts input kernels and biases as in a dense layer, forgetting the recurrent kernels."""
# loses: rnn_param_counts
# %% cell: param_counts_answer
n, units = 32, 64
SIMPLE_RNN_PARAMS = n * units + units
LSTM_PARAMS = 4 * (n * units + units)
GRU_PARAMS = 3 * (n * units + 2 * units)
GRU_RESET_BEFORE_PARAMS = 3 * (n * units + units)
