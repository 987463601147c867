"""Leaves the function without input_signature: one trace per new input shape."""
# loses: standardize_no_retrace
# %% cell: shapes_solution
@tf.function
def standardize_columns(x):
    mean = tf.reduce_mean(x, axis=0, keepdims=True)
    std = tf.math.reduce_std(x, axis=0, keepdims=True)
    return (x - mean) / (std + 1e-3)
