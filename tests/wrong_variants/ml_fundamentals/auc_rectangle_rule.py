"""Sums rectangles (left TPR times the FPR step) instead of trapezoids: tied pairs count 0 instead of 1/2."""
# loses: roc_auc
# %% cell: roc_auc_solution
def roc_auc(y_true, scores):
    fpr, tpr = roc_curve_points(y_true, scores)
    return float(np.sum(np.diff(fpr) * tpr[:-1]))
