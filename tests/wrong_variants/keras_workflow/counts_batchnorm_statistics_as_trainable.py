"""Counts the moving mean and variance as trainable once the base is unfrozen."""
# loses: param_counts
# %% cell: counts_answer
FROZEN_COUNTS = (27, 312)
FINE_TUNE_COUNTS = (339, 0)
