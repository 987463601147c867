"""A correct SquareCounter that keeps a tf.print debugging line (the op this notebook
teaches): it prints at every call and must not cost a point."""
# loses:
# %% cell: counter_solution
class SquareCounter(tf.Module):
    def __init__(self):
        super().__init__()
        self.calls = tf.Variable(0, dtype=tf.int32, trainable=False)

    @tf.function
    def __call__(self, x):
        self.calls.assign_add(1)
        tf.print("calls so far:", self.calls)
        return tf.reduce_sum(x * x)
