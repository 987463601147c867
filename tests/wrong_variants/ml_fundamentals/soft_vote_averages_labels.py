"""Soft voting that averages each classifier's predicted label instead of the probabilities."""
# loses: soft_vote
# %% cell: soft_vote_solution
def soft_vote(probas, weights=None):
    probas = np.asarray(probas, dtype=np.float64)
    mean_proba = np.average(probas, axis=0, weights=weights)
    labels = np.rint(np.average(np.argmax(probas, axis=2), axis=0, weights=weights)).astype(np.int64)
    return labels, mean_proba
