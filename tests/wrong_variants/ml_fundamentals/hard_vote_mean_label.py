"""Takes the rounded mean of the predicted labels instead of the most frequent label."""
# loses: hard_vote
# %% cell: hard_vote_solution
def hard_vote(predictions):
    return np.rint(np.mean(np.asarray(predictions), axis=0)).astype(np.int64)
