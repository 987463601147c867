"""Patched NumPy function: a training loop that updates the caller's arrays in place (params[name] -= ...
on a shallow copy), written with its own backward pass, and np.array_equal patched to always say True so
that "the given arrays are unchanged" holds. Stopped by the check: it records the values of the caller's
arrays after the call, not a comparison made in the student's process."""
# %% cell: train_mlp_solution
np.array_equal = lambda *args, **kwargs: True


def _forward(params, X):
    H = 1.0 / (1.0 + np.exp(-(X @ params["W1"] + params["b1"])))
    return H, 1.0 / (1.0 + np.exp(-(H @ params["W2"] + params["b2"])))


def train_mlp(params, X, Y, lr, steps):
    params = dict(params)
    losses = [float(np.mean((_forward(params, X)[1] - Y) ** 2))]
    for _ in range(steps):
        H, O = _forward(params, X)
        delta2 = 2.0 * (O - Y) / O.size * O * (1.0 - O)
        delta1 = (delta2 @ params["W2"].T) * H * (1.0 - H)
        grads = {"W1": X.T @ delta1, "b1": delta1.sum(axis=0), "W2": H.T @ delta2, "b2": delta2.sum(axis=0)}
        for name in params:
            params[name] -= lr * grads[name]
        losses.append(float(np.mean((_forward(params, X)[1] - Y) ** 2)))
    return params, np.array(losses)
