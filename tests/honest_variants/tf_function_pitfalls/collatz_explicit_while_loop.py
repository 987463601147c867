"""Writes the loop with tf.while_loop and tf.cond (TensorArray in the loop variables) instead
of AutoGraph's `while`/`if`."""
# loses:
# %% cell: collatz_solution
@tf.function(input_signature=[tf.TensorSpec(shape=[], dtype=tf.int32)])
def collatz(n):
    def step(k, seq):
        k = tf.cond(k % 2 == 0, lambda: k // 2, lambda: 3 * k + 1)
        return k, seq.write(seq.size(), k)

    seq = tf.TensorArray(tf.int32, size=0, dynamic_size=True).write(0, n)
    _, seq = tf.while_loop(lambda k, seq: k != 1, step, [n, seq])
    return seq.stack()
