"""Leaves reset_state empty: the state of earlier batches survives a reset."""
# loses: metric_reset
# %% cell: metric_solution
class StreamingMAE(keras.metrics.Metric):
    def __init__(self, name="streaming_mae", **kwargs):
        super().__init__(name=name, **kwargs)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total", dtype="float32")
        self.count = self.add_variable(shape=(), initializer="zeros", name="count", dtype="float32")

    def update_state(self, y_true, y_pred, sample_weight=None):
        error = tf.abs(tf.cast(y_true, "float32") - tf.cast(y_pred, "float32"))
        self.total.assign_add(tf.reduce_sum(error))
        self.count.assign_add(tf.cast(tf.size(error), "float32"))

    def result(self):
        return self.total / self.count

    def reset_state(self):
        pass
