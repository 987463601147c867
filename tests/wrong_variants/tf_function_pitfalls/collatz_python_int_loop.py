"""Drops the input_signature and loops in Python over the Python int: right values,
but one unrolled trace per n and no loop op in the graph."""
# loses: collatz_single_graph
# %% cell: collatz_solution
@tf.function
def collatz(n):
    n = int(n)
    seq = [n]
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        seq.append(n)
    return tf.constant(seq, dtype=tf.int32)
