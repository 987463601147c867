"""Other exact formulas: sigmoid as (1 + tanh(x/2)) / 2 and its derivative as 1 / (4 cosh^2(x/2)), tanh's
derivative as 1 / cosh^2 (cosh overflows to inf at +-1000, which gives the right 0), ReLU's with np.heaviside
and integer 0/1 values, leaky ReLU's with a boolean mask."""
# loses:
# %% cell: sigmoid_solution
def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=np.float64)))


def sigmoid_grad(x):
    return 0.25 / np.cosh(0.5 * np.asarray(x, dtype=np.float64)) ** 2
# %% cell: tanh_solution
def tanh_grad(x):
    return 1.0 / np.cosh(x) ** 2
# %% cell: relu_solution
def relu_grad(x):
    return np.heaviside(x, 0).astype(int)


def leaky_relu_grad(x, alpha=0.2):
    x = np.asarray(x)
    grad = np.full(x.shape, alpha, dtype=np.float64)
    grad[x > 0] = 1.0
    return grad
