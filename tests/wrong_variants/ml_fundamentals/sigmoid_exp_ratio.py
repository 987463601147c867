"""Computes sigmoid as exp(x) / (1 + exp(x)): at x = 745 or 1000 this is inf / inf = nan."""
# loses: sigmoid_tanh
# %% cell: sigmoid_solution
def sigmoid(x):
    e = np.exp(np.asarray(x, dtype=np.float64))
    return e / (1.0 + e)


def tanh(x):
    return np.tanh(np.asarray(x, dtype=np.float64))
