"""Computes sigmoid as 1 / (1 + exp(-x)): exp overflows for x = -1000 (swish uses sigmoid, so it fails too)."""
# loses: sigmoid_tanh, smooth_activations
# %% cell: sigmoid_solution
def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


def tanh(x):
    return np.tanh(np.asarray(x, dtype=np.float64))
