"""Calls the base without training=False: fine while frozen, but once the base is unfrozen its
BatchNormalization normalises with batch statistics and overwrites the moving ones."""
# loses: transfer_bn_inference
# %% cell: transfer_solution
def make_transfer_model(base, n_classes):
    base.trainable = False
    inputs = keras.Input(shape=base.input_shape[1:])
    features = base(inputs)
    outputs = keras.layers.Dense(n_classes)(features)
    return keras.Model(inputs, outputs)
