"""Keeps 0.99 ** k of the batch mean instead of 1 - 0.99 ** k, and counts steps until 1 % is left."""
# loses: bn_lag
# %% cell: bn_lag_answer
BN_MEAN_AFTER_100 = 5.0 * 0.99 ** 100
BN_STEPS_TO_99_PERCENT = int(np.floor(np.log(0.01) / np.log(0.99)))
