"""Thinks a frozen BatchNormalization keeps gamma and beta trainable (only its statistics frozen)."""
# loses: param_counts
# %% cell: counts_answer
FROZEN_COUNTS = (27, 312)
FINE_TUNE_COUNTS = (307, 32)
ALL_TRAINABLE_COUNTS = (307, 32)
