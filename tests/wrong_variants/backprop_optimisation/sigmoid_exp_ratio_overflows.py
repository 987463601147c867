"""Writes the sigmoid as exp(x) / (1 + exp(x)): exp(1000) is inf and inf / inf is nan."""
# loses: sigmoid_derivative
# %% cell: sigmoid_solution
def sigmoid(x):
    x = np.asarray(x, dtype=np.float64)
    return np.exp(x) / (1.0 + np.exp(x))


def sigmoid_grad(x):
    s = sigmoid(x)
    return s * (1.0 - s)
