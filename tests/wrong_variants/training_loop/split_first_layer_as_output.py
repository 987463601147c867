"""Takes the first layer that has weights (the hidden Dense) for the output layer."""
# loses: split_variables_by_layer
# %% cell: split_solution
def split_variables(model):
    dense = [layer for layer in model.layers if layer.trainable_variables]
    output_vars = list(dense[0].trainable_variables)
    lower_vars = [v for layer in dense[1:] for v in layer.trainable_variables]
    return lower_vars, output_vars
