"""Exponentiates the raw logits: exp(1000) overflows, inf / inf gives nan (the cross-entropy check runs with the reference softmax)."""
# loses: softmax_stable
# %% cell: softmax_solution
def softmax(z):
    e = np.exp(np.asarray(z, dtype=np.float64))
    return e / e.sum(axis=-1, keepdims=True)
