"""Writes ELU as np.where(x > 0, x, alpha * (exp(x) - 1)): the unused branch still overflows for x = 1000."""
# loses: relu_family
# %% cell: relu_family_solution
def relu(x):
    return np.maximum(np.asarray(x, dtype=np.float64), 0.0)


def leaky_relu(x, alpha=0.2):
    x = np.asarray(x, dtype=np.float64)
    return np.where(x >= 0, x, alpha * x)


def elu(x, alpha=1.0):
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 0, x, alpha * (np.exp(x) - 1.0))


def selu(x):
    return SELU_SCALE * elu(x, SELU_ALPHA)
