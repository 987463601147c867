"""Freezes the BatchNormalization layers first and then sets base.trainable = True, which makes
every layer inside the base trainable again."""
# loses: fine_tune_bn_inference
# %% cell: fine_tune_solution
def unfreeze_for_fine_tuning(base):
    for layer in base.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False
    base.trainable = True
