"""Uses 1 - tanh(x) as the derivative of tanh, forgetting the square."""
# loses: tanh_derivative
# %% cell: tanh_solution
def tanh_grad(x):
    return 1.0 - np.tanh(np.asarray(x, dtype=np.float64))
