"""Forgets to divide by m * k: the gradient of the summed squared error, not of the mean."""
# loses: mlp_backward
# %% cell: mlp_backward_solution
def mlp_backward(params, X, Y):
    H, O = mlp_forward(params, X)
    dO = 2.0 * (O - Y)
    delta2 = dO * O * (1.0 - O)
    dH = delta2 @ params["W2"].T
    delta1 = dH * H * (1.0 - H)
    return {"W1": X.T @ delta1, "b1": delta1.sum(axis=0),
            "W2": H.T @ delta2, "b2": delta2.sum(axis=0)}
