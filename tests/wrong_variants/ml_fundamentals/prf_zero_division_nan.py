"""Divides without guarding against zero denominators: nothing predicted positive gives nan instead of 0.0."""
# loses: precision_recall_f1
# %% cell: prf_solution
def precision_recall_f1(y_true, y_pred):
    tn, fp, fn, tp = confusion_counts(y_true, y_pred)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.float64(tp) / (tp + fp)
        recall = np.float64(tp) / (tp + fn)
        f1 = 2 * precision * recall / (precision + recall)
    return float(precision), float(recall), float(f1)
