"""Adds the gradient (w + lr * dL/dw): gradient ascent, the loss grows without bound."""
# loses: linear_regression_gd
# %% cell: linear_gd_solution
def linear_regression_gd(x, y, lr, steps, w0=0.0, b0=0.0):
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w, b = float(w0), float(b0)
    losses = [np.mean((w * x + b - y) ** 2)]
    for _ in range(steps):
        error = w * x + b - y
        w, b = w + lr * 2.0 * np.mean(error * x), b + lr * 2.0 * np.mean(error)
        losses.append(np.mean((w * x + b - y) ** 2))
    return float(w), float(b), np.array(losses)
