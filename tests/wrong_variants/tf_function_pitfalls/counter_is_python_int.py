"""Keeps the call counter as a Python int: it only counts traces."""
# loses: counter_counts_calls
# %% cell: counter_solution
class SquareCounter(tf.Module):
    def __init__(self):
        super().__init__()
        self.calls = 0

    @tf.function
    def __call__(self, x):
        self.calls += 1
        return tf.reduce_sum(x * x)
