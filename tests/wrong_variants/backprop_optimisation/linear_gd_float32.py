"""Does the regression in float32 (x and y converted with astype(np.float32)), returning float32 results."""
# loses: linear_regression_gd
# %% cell: linear_gd_solution
def linear_regression_gd(x, y, lr, steps, w0=0.0, b0=0.0):
    x = np.asarray(x).astype(np.float32)
    y = np.asarray(y).astype(np.float32)
    w, b = np.float32(w0), np.float32(b0)
    losses = [np.mean((w * x + b - y) ** 2)]
    for _ in range(steps):
        error = w * x + b - y
        w, b = w - np.float32(lr) * 2 * np.mean(error * x), b - np.float32(lr) * 2 * np.mean(error)
        losses.append(np.mean((w * x + b - y) ** 2))
    return w, b, np.array(losses)
