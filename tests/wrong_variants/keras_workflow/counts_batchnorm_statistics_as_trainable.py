"""Counts the moving mean and variance as trainable once the base is trainable."""
# loses: param_counts
# %% cell: counts_answer
FROZEN_COUNTS = (27, 312)
FINE_TUNE_COUNTS = (275, 64)
ALL_TRAINABLE_COUNTS = (339, 0)
