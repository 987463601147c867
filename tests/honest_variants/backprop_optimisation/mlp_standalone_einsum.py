"""The network written without calling the other answers: np.dot and a sigmoid of its own in the forward
pass, the loss as a sum over the size (a NumPy float64), the backward pass with its own forward pass and
np.einsum, and a training loop that deep-copies the parameters and then updates the copies in place with -=."""
# loses:
# %% cell: mlp_forward_solution
def mlp_forward(params, X):
    def logistic(z):
        return np.exp(-np.logaddexp(0.0, -z))
    H = logistic(np.dot(X, params["W1"]) + params["b1"])
    O = logistic(np.dot(H, params["W2"]) + params["b2"])
    return H, O


def mlp_loss(params, X, Y):
    _, O = mlp_forward(params, X)
    return np.sum((O - Y) ** 2) / O.size
# %% cell: mlp_backward_solution
def mlp_backward(params, X, Y):
    H = 1.0 / (1.0 + np.exp(-(X @ params["W1"] + params["b1"])))
    O = 1.0 / (1.0 + np.exp(-(H @ params["W2"] + params["b2"])))
    m, k = O.shape
    delta2 = (2.0 / (m * k)) * (O - Y) * O * (1.0 - O)
    delta1 = np.einsum("ik,jk->ij", delta2, params["W2"]) * H * (1.0 - H)
    return {"W1": np.einsum("mi,mj->ij", X, delta1), "b1": np.einsum("mj->j", delta1),
            "W2": np.einsum("mi,mj->ij", H, delta2), "b2": np.einsum("mj->j", delta2)}
# %% cell: train_mlp_solution
import copy


def train_mlp(params, X, Y, lr, steps):
    params = copy.deepcopy(params)
    losses = np.empty(steps + 1)
    losses[0] = mlp_loss(params, X, Y)
    for step in range(steps):
        grads = mlp_backward(params, X, Y)
        for name in params:
            params[name] -= lr * grads[name]
        losses[step + 1] = mlp_loss(params, X, Y)
    return params, losses
