"""Keeps one counter for the whole class (a class attribute) instead of one per instance."""
# loses: counter_counts_calls
# %% cell: counter_solution
class SquareCounter(tf.Module):
    calls = tf.Variable(0, dtype=tf.int32, trainable=False)

    @tf.function
    def __call__(self, x):
        self.calls.assign_add(1)
        return tf.reduce_sum(x * x)
