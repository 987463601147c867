"""Exponentiates the raw logits: exp(1000) overflows and the probabilities become nan."""
# loses: softmax_stable, cross_entropy_gradient
# %% cell: softmax_solution
def softmax(z):
    e = np.exp(np.asarray(z, dtype=np.float64))
    return e / e.sum(axis=-1, keepdims=True)
