"""ROC points by a loop over the distinct scores (np.unique, which keeps +inf and -inf and groups
equal ones), and the AUC by counting positive/negative pairs (Mann-Whitney: a pair ordered right
counts 1, a tie 1/2), which equals the trapezoid area without building the curve."""
# loses:
# %% cell: roc_curve_solution
def roc_curve_points(y_true, scores):
    y = np.asarray(y_true).astype(bool).ravel()
    s = np.asarray(scores, dtype=float).ravel()
    if y.all() or not y.any():
        raise ValueError("only one class in y_true")
    fpr, tpr = [0.0], [0.0]
    for t in np.unique(s)[::-1]:
        predicted = s >= t
        tpr.append(np.sum(predicted & y) / np.sum(y))
        fpr.append(np.sum(predicted & ~y) / np.sum(~y))
    return np.array(fpr), np.array(tpr)
# %% cell: roc_auc_solution
def roc_auc(y_true, scores):
    y = np.asarray(y_true).astype(bool).ravel()
    s = np.asarray(scores, dtype=float).ravel()
    pos, neg = s[y], s[~y]
    if pos.size == 0 or neg.size == 0:
        raise ValueError("only one class in y_true")
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return wins / (pos.size * neg.size)
