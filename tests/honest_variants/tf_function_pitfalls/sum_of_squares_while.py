"""Accumulates with `total = total + tf.square(i)` over tf.range(n) and names the signature's
argument; same loop, written differently."""
# loses:
# %% cell: range_solution
@tf.function(input_signature=[tf.TensorSpec(shape=(), dtype=tf.int32, name="n")])
def sum_of_squares(n):
    total = tf.zeros([], dtype=tf.int32)
    for i in tf.range(n):
        total = total + tf.square(i)
    return total
