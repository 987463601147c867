"""Uses x >= 0 for the ReLU and leaky ReLU derivatives: 1 at exactly 0, where TensorFlow gives 0 and alpha."""
# loses: relu_derivatives
# %% cell: relu_solution
def relu_grad(x):
    return (np.asarray(x) >= 0).astype(np.float64)


def leaky_relu_grad(x, alpha=0.2):
    return np.where(np.asarray(x) >= 0, 1.0, float(alpha))
