"""Counts the kernels and weight matrices but not the biases."""
# loses: lenet5_params
# %% cell: lenet5_answer
LENET5_LAYER_PARAMS = [6 * 3 * 3 * 1, 16 * 3 * 3 * 6, 5 * 5 * 16 * 120, 120 * 84, 84 * 10]
LENET5_TOTAL_PARAMS = sum(LENET5_LAYER_PARAMS)
