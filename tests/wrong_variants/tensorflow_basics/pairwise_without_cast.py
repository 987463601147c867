"""Forgets to convert the inputs to float32: integer inputs make tf.sqrt fail, float64 stays float64."""
# loses: pairwise_distances
# %% cell: pairwise_solution
def pairwise_distances(a, b):
    diff = a[:, tf.newaxis, :] - b[tf.newaxis, :, :]
    return tf.sqrt(tf.reduce_sum(tf.square(diff), axis=-1))
