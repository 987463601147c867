"""Selects the ELU branches by multiplying with masks: for x = 1000 the negative branch is
0 * (exp(1000) - 1) = 0 * inf = nan, which the sum keeps."""
# loses: relu_family
# %% cell: relu_family_solution
def relu(x):
    return np.maximum(np.asarray(x, dtype=np.float64), 0.0)


def leaky_relu(x, alpha=0.2):
    x = np.asarray(x, dtype=np.float64)
    return np.where(x >= 0, x, alpha * x)


def elu(x, alpha=1.0):
    x = np.asarray(x, dtype=np.float64)
    return (x > 0) * x + (x <= 0) * alpha * (np.exp(x) - 1.0)


def selu(x):
    return SELU_SCALE * elu(x, SELU_ALPHA)
