"""Divides the squared error by the number of samples only, not by samples x outputs (differs when k > 1)."""
# loses: mlp_forward
# %% cell: mlp_forward_solution
def mlp_forward(params, X):
    H = sigmoid(X @ params["W1"] + params["b1"])
    O = sigmoid(H @ params["W2"] + params["b2"])
    return H, O


def mlp_loss(params, X, Y):
    _, O = mlp_forward(params, X)
    return float(np.sum((O - Y) ** 2) / len(X))
