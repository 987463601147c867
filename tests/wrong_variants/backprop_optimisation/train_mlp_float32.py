"""Casts the parameters and data to float32 "to save memory": the trajectory comes back in float32."""
# loses: mlp_training
# %% cell: train_mlp_solution
def train_mlp(params, X, Y, lr, steps):
    params = {name: np.array(value, dtype=np.float32) for name, value in params.items()}
    X, Y = np.asarray(X, dtype=np.float32), np.asarray(Y, dtype=np.float32)
    losses = [mlp_loss(params, X, Y)]
    for _ in range(steps):
        grads = mlp_backward(params, X, Y)
        params = {name: (params[name] - np.float32(lr) * grads[name]).astype(np.float32) for name in params}
        losses.append(mlp_loss(params, X, Y))
    return params, np.array(losses, dtype=np.float32)
