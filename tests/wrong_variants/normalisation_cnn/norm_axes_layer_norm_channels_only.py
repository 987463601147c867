"""Takes Keras's default (the channels only) for layer normalisation of feature maps."""
# loses: norm_axes
# %% cell: norm_axes_answer
BN_AXES = (0, 1, 2)
LN_AXES = (3,)
IN_AXES = (1, 2)
KERAS_LN_DEFAULT_AXES = (3,)
