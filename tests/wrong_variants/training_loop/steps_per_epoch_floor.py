"""Divides with // and forgets the last, smaller batch."""
# loses: steps_per_epoch
# %% cell: steps_answer
STEPS_PER_EPOCH = 39
LAST_BATCH_SIZE = 128
