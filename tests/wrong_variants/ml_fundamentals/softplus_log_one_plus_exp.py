"""Writes softplus literally as log(1 + exp(x)) (and mish with it): inf for x = 745 or 1000,
where the true value is x. (mish survives: tanh(inf) = 1.)"""
# loses: smooth_activations
# %% cell: smooth_solution
def softplus(x):
    return np.log1p(np.exp(np.asarray(x, dtype=np.float64)))


def gelu(x):
    x = np.asarray(x, dtype=np.float64)
    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


def swish(x, beta=1.0):
    x = np.asarray(x, dtype=np.float64)
    return x / (1.0 + np.exp(-beta * x))


def mish(x):
    x = np.asarray(x, dtype=np.float64)
    return x * np.tanh(softplus(x))
