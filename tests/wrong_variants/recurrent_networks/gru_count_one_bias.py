"""Counts the default GRU with one bias per block (that is reset_after=False)."""
# loses: rnn_param_counts
# %% cell: param_counts_answer
n, units = 32, 64
SIMPLE_RNN_PARAMS = n * units + units * units + units
LSTM_PARAMS = 4 * (n * units + units * units + units)
GRU_PARAMS = 3 * (n * units + units * units + units)
GRU_RESET_BEFORE_PARAMS = 3 * (n * units + units * units + units)
