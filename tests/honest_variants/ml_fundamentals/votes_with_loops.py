"""Hard voting with a Python loop and np.bincount per instance (argmax takes the smallest label on
ties), soft voting with an explicit weighted sum divided by the sum of the weights."""
# loses:
# %% cell: hard_vote_solution
def hard_vote(predictions):
    predictions = np.asarray(predictions)
    return np.array([np.argmax(np.bincount(column)) for column in predictions.T])
# %% cell: soft_vote_solution
def soft_vote(probas, weights=None):
    probas = np.asarray(probas, dtype=np.float64)
    w = np.ones(probas.shape[0]) if weights is None else np.asarray(weights, dtype=np.float64)
    mean = np.tensordot(w, probas, axes=1) / w.sum()
    return mean.argmax(axis=1), mean
