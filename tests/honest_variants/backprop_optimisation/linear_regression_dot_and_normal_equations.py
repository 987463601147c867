"""Gradient descent with np.dot, returning NumPy float64 scalars and a list of losses turned into an array;
the closed form from the normal equations (np.linalg.solve) instead of lstsq."""
# loses:
# %% cell: linear_gd_solution
def linear_regression_gd(x, y, lr, steps, w0=0.0, b0=0.0):
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    m = len(x)
    w, b = np.float64(w0), np.float64(b0)

    def loss(w, b):
        error = w * x + b - y
        return np.dot(error, error) / m

    losses = [loss(w, b)]
    for _ in range(steps):
        error = w * x + b - y
        w, b = w - lr * 2.0 * np.dot(error, x) / m, b - lr * 2.0 * np.sum(error) / m
        losses.append(loss(w, b))
    return w, b, np.asarray(losses)
# %% cell: linear_closed_form_solution
def linear_regression_closed_form(x, y):
    A = np.column_stack([x, np.ones(len(x))])
    w, b = np.linalg.solve(A.T @ A, A.T @ np.asarray(y, dtype=np.float64))
    return w, b
