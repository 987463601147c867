"""Runs the descent in float32 and converts the path to float64 at the end: the dtype is right, the values
carry float32 rounding (far outside the float64 tolerance)."""
# loses: himmelblau_descent
# %% cell: himmelblau_descent_solution
def himmelblau_descent(start, lr=0.01, steps=200):
    point = np.array(start, dtype=np.float32)
    path = [point.copy()]
    for _ in range(steps):
        gx, gy = himmelblau_grad(point[0], point[1])
        point = (point - np.float32(lr) * np.array([gx, gy], dtype=np.float32)).astype(np.float32)
        path.append(point.copy())
    return np.array(path, dtype=np.float64)
