"""Leaves the step count as the float np.ceil returns (459.0) where the prompt asks for an integer."""
# loses: bn_lag
# %% cell: bn_lag_answer
BN_MEAN_AFTER_100 = 5.0 * (1 - 0.99 ** 100)
BN_STEPS_TO_99_PERCENT = np.ceil(np.log(0.01) / np.log(0.99))
