"""Returns sigma(x) as the derivative of the sigmoid instead of sigma(x) * (1 - sigma(x))."""
# loses: sigmoid_derivative
# %% cell: sigmoid_solution
def sigmoid(x):
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(x):
    return sigmoid(x)
