"""Swaps the definitions of FP and FN (as the study notes do): FP counted as actual positive predicted negative."""
# loses: confusion_counts, precision_recall_f1
# %% cell: confusion_solution
def confusion_counts(y_true, y_pred):
    actual = np.asarray(y_true).astype(bool)
    predicted = np.asarray(y_pred).astype(bool)
    tn = int(np.sum(~actual & ~predicted))
    fp = int(np.sum(actual & ~predicted))
    fn = int(np.sum(~actual & predicted))
    tp = int(np.sum(actual & predicted))
    return tn, fp, fn, tp
