"""Passes the gradient to the hidden layer's weights without multiplying by H * (1 - H)."""
# loses: mlp_backward
# %% cell: mlp_backward_solution
def mlp_backward(params, X, Y):
    H, O = mlp_forward(params, X)
    dO = 2.0 * (O - Y) / O.size
    delta2 = dO * O * (1.0 - O)
    delta1 = delta2 @ params["W2"].T
    return {"W1": X.T @ delta1, "b1": delta1.sum(axis=0),
            "W2": H.T @ delta2, "b2": delta2.sum(axis=0)}
