"""Uses tf.range but no input_signature: every new Python int n is traced again."""
# loses: range_loop_in_graph
# %% cell: range_solution
@tf.function
def sum_of_squares(n):
    total = tf.constant(0, dtype=tf.int32)
    for i in tf.range(n):
        total += i * i
    return total
