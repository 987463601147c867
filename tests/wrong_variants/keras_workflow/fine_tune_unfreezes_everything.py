"""Unfreezes the whole base, BatchNormalization included: fit's training=True reaches the base
despite the training=False it was built with, so the layers normalise with batch statistics and
overwrite their moving statistics."""
# loses: fine_tune_bn_inference
# %% cell: fine_tune_solution
def unfreeze_for_fine_tuning(base):
    base.trainable = True
