"""Reuses Keras's own layer (class MyDense(keras.layers.Dense)) instead of writing it: every output
would match, but the task is to write the layer; the checks refuse a Dense subclass."""
# loses: dense_forward, dense_output_shape, dense_config
# %% cell: dense_solution
class MyDense(keras.layers.Dense):
    pass
