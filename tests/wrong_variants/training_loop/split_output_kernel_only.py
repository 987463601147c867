"""Puts only the output layer's kernel in output_vars; its bias ends up with the lower layers."""
# loses: split_variables_by_layer
# %% cell: split_solution
def split_variables(model):
    output_vars = [model.layers[-1].kernel]
    lower_vars = [v for v in model.trainable_variables if v is not model.layers[-1].kernel]
    return lower_vars, output_vars
