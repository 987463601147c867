"""Adds one ROC point per instance after sorting, so tied scores are split in an arbitrary order."""
# loses: roc_curve_points, roc_auc
# %% cell: roc_curve_solution
def roc_curve_points(y_true, scores):
    actual = np.asarray(y_true).astype(bool)
    scores = np.asarray(scores, dtype=np.float64)
    n_pos = actual.sum()
    n_neg = actual.size - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("both classes are needed")
    ranked = actual[np.argsort(-scores, kind="stable")]
    tpr = np.concatenate([[0.0], np.cumsum(ranked) / n_pos])
    fpr = np.concatenate([[0.0], np.cumsum(~ranked) / n_neg])
    return fpr, tpr
