"""The gradient as expanded polynomials, the descent with two Python floats updated together and the path
preallocated with np.empty; the basins as a NumPy int64 array from the student's own descent."""
# loses:
# %% cell: himmelblau_solution
def himmelblau(x, y):
    return (x * x + y - 11.0) ** 2 + (x + y * y - 7.0) ** 2


def himmelblau_grad(x, y):
    dfdx = 4 * x ** 3 + 4 * x * y - 42 * x + 2 * y ** 2 - 14
    dfdy = 2 * x ** 2 + 4 * x * y + 4 * y ** 3 - 26 * y - 22
    return dfdx, dfdy
# %% cell: himmelblau_descent_solution
def himmelblau_descent(start, lr=0.01, steps=200):
    path = np.empty((steps + 1, 2))
    x, y = float(start[0]), float(start[1])
    path[0] = x, y
    for step in range(1, steps + 1):
        gx, gy = himmelblau_grad(x, y)
        x, y = x - lr * gx, y - lr * gy
        path[step] = x, y
    return path
# %% cell: basins_answer
ends = np.array([himmelblau_descent(start, lr=0.01, steps=200)[-1] for start in BASIN_STARTS])
BASINS = np.argmin(((ends[:, None, :] - MINIMA[None, :, :]) ** 2).sum(axis=2), axis=1)
print(BASINS, BASINS.dtype)
