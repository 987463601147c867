"""Forgets base.trainable = False: the first training steps update the pretrained base too."""
# loses: transfer_frozen
# %% cell: transfer_solution
def make_transfer_model(base, n_classes):
    inputs = keras.Input(shape=base.input_shape[1:])
    features = base(inputs, training=False)
    outputs = keras.layers.Dense(n_classes)(features)
    return keras.Model(inputs, outputs)
