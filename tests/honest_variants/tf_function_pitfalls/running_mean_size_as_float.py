"""Counts the elements as the product of tf.shape(x) and sums a flattened x; also
leaves a Python print in update (it runs only while tracing)."""
# loses:
# %% cell: assign_solution
class RunningMean(tf.Module):
    def __init__(self):
        super().__init__()
        self.total = tf.Variable(0.0)
        self.count = tf.Variable(0.0)

    @tf.function
    def update(self, x):
        print("tracing update for", x.shape)
        self.total.assign_add(tf.reduce_sum(tf.reshape(x, [-1])))
        self.count.assign_add(tf.cast(tf.reduce_prod(tf.shape(x)), tf.float32))
        return self.total / self.count
