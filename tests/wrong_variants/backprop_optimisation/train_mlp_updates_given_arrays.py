"""Copies the dict but not the arrays, then updates with -=: the caller's parameters change too."""
# loses: mlp_training
# %% cell: train_mlp_solution
def train_mlp(params, X, Y, lr, steps):
    params = dict(params)
    losses = [mlp_loss(params, X, Y)]
    for _ in range(steps):
        grads = mlp_backward(params, X, Y)
        for name in params:
            params[name] -= lr * grads[name]
        losses.append(mlp_loss(params, X, Y))
    return params, np.array(losses)
