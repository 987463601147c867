"""Gives every fold n // k instances and puts the remainder in the last fold."""
# loses: kfold_indices
# %% cell: kfold_solution
def kfold_indices(n_samples, k):
    if k < 2 or k > n_samples:
        raise ValueError("need 2 <= k <= n_samples")
    size = n_samples // k
    everything = np.arange(n_samples)
    folds = []
    for i in range(k):
        stop = n_samples if i == k - 1 else (i + 1) * size
        test = everything[i * size:stop]
        folds.append((np.setdiff1d(everything, test), test))
    return folds
