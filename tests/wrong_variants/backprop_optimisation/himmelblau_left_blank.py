"""Leaves Task 5a (himmelblau, himmelblau_grad) unwritten: 5a and the basins (computed by running the
student's own descent, which needs the gradient) are lost; the descent check runs with the reference gradient."""
# loses: himmelblau_gradient, himmelblau_basins
# %% cell: himmelblau_solution
def himmelblau(x, y):
    # YOUR CODE HERE
    raise NotImplementedError()


def himmelblau_grad(x, y):
    # YOUR CODE HERE
    raise NotImplementedError()
