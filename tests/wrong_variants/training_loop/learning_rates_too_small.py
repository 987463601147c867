"""Keeps tiny learning rates: three epochs are far from enough."""
# loses: end_to_end_accuracy
# %% cell: lr_answer
LR_LOWER = 0.01
LR_OUTPUT = 0.01
