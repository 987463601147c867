"""Takes np.log(softmax(z)): a probability that underflows to 0 gives log 0 = -inf and an infinite loss."""
# loses: cross_entropy_gradient
# %% cell: cross_entropy_solution
def softmax_cross_entropy(z, y):
    z = np.asarray(z, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    m = z.shape[0]
    p = softmax(z)
    loss = float(-(y * np.log(p)).sum() / m)
    return loss, (p - y) / m
