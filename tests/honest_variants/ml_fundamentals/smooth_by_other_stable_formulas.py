"""Other stable formulas: sigmoid as (1 + tanh(x / 2)) / 2, softplus as max(x, 0) + log1p(exp(-|x|)),
GELU with scipy's erfc (as tf.nn.gelu computes it), swish calling the student's own sigmoid of 7a,
mish with np.logaddexp; a leftover debugging print in softplus."""
# loses:
# %% cell: sigmoid_solution
def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=np.float64)))


def tanh(x):
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(-2.0 * np.abs(x))
    return np.sign(x) * (1.0 - e) / (1.0 + e)
# %% cell: smooth_solution
from scipy.special import erfc


def softplus(x):
    x = np.asarray(x, dtype=np.float64)
    print("softplus on", x.shape)
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def gelu(x):
    x = np.asarray(x, dtype=np.float64)
    return 0.5 * x * erfc(-x / np.sqrt(2.0))


def swish(x, beta=1.0):
    x = np.asarray(x, dtype=np.float64)
    return x * sigmoid(beta * x)


def mish(x):
    x = np.asarray(x, dtype=np.float64)
    return x * np.tanh(np.logaddexp(0.0, x))
