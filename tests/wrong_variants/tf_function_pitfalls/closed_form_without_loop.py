"""Replaces the loop by the closed form n(n-1)(2n-1)/6 (right values, one trace) although the
prompt asks for a loop op in the graph."""
# loses: range_loop_in_graph
# %% cell: range_solution
@tf.function(input_signature=[tf.TensorSpec(shape=[], dtype=tf.int32)])
def sum_of_squares(n):
    return n * (n - 1) * (2 * n - 1) // 6
