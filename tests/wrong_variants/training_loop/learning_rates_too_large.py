"""Picks learning rates so large that the training diverges (the loss jumps around, the accuracy falls to
chance)."""
# loses: end_to_end_accuracy
# %% cell: lr_answer
LR_LOWER = 50.0
LR_OUTPUT = 50.0
