"""Uses the tanh approximation of GELU instead of the exact x * Phi(x)."""
# loses: smooth_activations
# %% cell: smooth_solution
def softplus(x):
    return np.logaddexp(0.0, np.asarray(x, dtype=np.float64))


def gelu(x):
    x = np.asarray(x, dtype=np.float64)
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x ** 3)))


def swish(x, beta=1.0):
    x = np.asarray(x, dtype=np.float64)
    return x * sigmoid(beta * x)


def mish(x):
    x = np.asarray(x, dtype=np.float64)
    return x * np.tanh(softplus(x))
