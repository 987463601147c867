"""ELU as np.where(x > 0, x, alpha * (exp(x) - 1)): the unused branch overflows for x = 1000 (a
warning), but np.where picks x there, so every value is right; exp(x) - 1 instead of expm1 loses
only relative precision far below the absolute tolerance. SELU written out without calling elu."""
# loses:
# %% cell: relu_family_solution
def relu(x):
    x = np.asarray(x, dtype=np.float64)
    return x * (x > 0)


def leaky_relu(x, alpha=0.2):
    x = np.asarray(x, dtype=np.float64)
    return np.maximum(x, 0.0) + alpha * np.minimum(x, 0.0)


def elu(x, alpha=1.0):
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 0, x, alpha * (np.exp(x) - 1.0))


def selu(x):
    x = np.asarray(x, dtype=np.float64)
    return SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * (np.exp(x) - 1.0))
