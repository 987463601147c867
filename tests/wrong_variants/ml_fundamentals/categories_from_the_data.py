"""Believes the categories are whatever the data contains: one_hot ignores n_classes, and get_dummies is taken to remember categories."""
# loses: one_hot_encoding, get_dummies_choice
# %% cell: one_hot_solution
def one_hot(labels, n_classes=None):
    labels = np.asarray(labels, dtype=np.int64).reshape(-1)
    width = int(labels.max()) + 1 if labels.size else 0
    return np.eye(width)[labels]
# %% cell: get_dummies_answer
ANSWER_GET_DUMMIES = "d"
