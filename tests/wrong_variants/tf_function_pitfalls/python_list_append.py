"""Appends to a Python list inside the graph while loop (tracing fails)."""
# loses: collatz_values, collatz_single_graph
# %% cell: collatz_solution
@tf.function(input_signature=[tf.TensorSpec(shape=[], dtype=tf.int32)])
def collatz(n):
    seq = [n]
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        seq.append(n)
    return tf.stack(seq)
