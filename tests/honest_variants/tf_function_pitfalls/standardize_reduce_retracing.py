"""Uses reduce_retracing=True (the prompt accepts it) instead of an input_signature, and writes
the population standard deviation by hand."""
# loses:
# %% cell: shapes_solution
@tf.function(reduce_retracing=True)
def standardize_columns(x):
    mean = tf.reduce_mean(x, axis=0, keepdims=True)
    std = tf.sqrt(tf.reduce_mean(tf.square(x - mean), axis=0, keepdims=True))
    return (x - mean) / (std + 1e-3)
