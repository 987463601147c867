"""Loops with Python range over a Python int: unrolled graph, one trace per n."""
# loses: range_loop_in_graph
# %% cell: range_solution
@tf.function
def sum_of_squares(n):
    total = tf.constant(0, dtype=tf.int32)
    for i in range(n):
        total += i * i
    return total
