"""Confusion counts with np.bincount over 2 * actual + predicted (NumPy integers), precision/recall/F1
computed from its own counts as NumPy floats, and the folds with np.array_split (which makes the
first n % k folds one longer, as KFold does) and np.setdiff1d for the training indices."""
# loses:
# %% cell: confusion_solution
def confusion_counts(y_true, y_pred):
    codes = 2 * np.asarray(y_true, dtype=np.int64) + np.asarray(y_pred, dtype=np.int64)
    tn, fp, fn, tp = np.bincount(codes, minlength=4)
    return tn, fp, fn, tp
# %% cell: prf_solution
def precision_recall_f1(y_true, y_pred):
    y = np.asarray(y_true, dtype=bool)
    p = np.asarray(y_pred, dtype=bool)
    tp, fp, fn = np.sum(y & p), np.sum(~y & p), np.sum(y & ~p)
    precision = tp / (tp + fp) if tp + fp else np.float64(0.0)
    recall = tp / (tp + fn) if tp + fn else np.float64(0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else np.float64(0.0)
    return precision, recall, f1
# %% cell: kfold_solution
def kfold_indices(n_samples, k):
    if not 2 <= k <= n_samples:
        raise ValueError(f"k must be between 2 and {n_samples}")
    everything = np.arange(n_samples)
    return [(np.setdiff1d(everything, test), test) for test in np.array_split(everything, k)]
