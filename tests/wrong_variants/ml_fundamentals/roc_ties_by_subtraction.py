"""Finds the ends of tie groups with np.diff(sorted_scores) != 0: two +inf (or -inf) scores give
inf - inf = nan, nan != 0 is True, so tied infinite scores are split into separate points."""
# loses: roc_curve_points, roc_auc
# %% cell: roc_curve_solution
def roc_curve_points(y_true, scores):
    actual = np.asarray(y_true).astype(bool).reshape(-1)
    scores = np.asarray(scores, dtype=np.float64).reshape(-1)
    n_pos = int(actual.sum())
    n_neg = actual.size - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("y_true must contain both classes")
    order = np.argsort(-scores, kind="stable")
    sorted_scores, sorted_actual = scores[order], actual[order]
    end_of_run = np.append(np.diff(sorted_scores) != 0, True)
    fpr = np.concatenate([[0.0], np.cumsum(~sorted_actual)[end_of_run] / n_neg])
    tpr = np.concatenate([[0.0], np.cumsum(sorted_actual)[end_of_run] / n_pos])
    return fpr, tpr
