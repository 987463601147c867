"""Updates the running sums with `=` instead of assign_add, rebinding the attributes."""
# loses: running_mean_assign
# %% cell: assign_solution
class RunningMean(tf.Module):
    def __init__(self):
        super().__init__()
        self.total = tf.Variable(0.0)
        self.count = tf.Variable(0.0)

    @tf.function
    def update(self, x):
        self.total = self.total + tf.reduce_sum(x)
        self.count = self.count + tf.cast(tf.size(x), tf.float32)
        return self.total / self.count
