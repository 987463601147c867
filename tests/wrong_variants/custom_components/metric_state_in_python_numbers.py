"""Keeps the running sum and count in plain Python numbers instead of state variables made with
add_variable: result() is right in eager mode, but the metric has no state variables (it would not
accumulate inside a compiled training step, nor be saved with the model)."""
# loses: metric_accumulates, metric_reset
# %% cell: metric_solution
class StreamingMAE(keras.metrics.Metric):
    def __init__(self, name="streaming_mae", **kwargs):
        super().__init__(name=name, **kwargs)
        self.total = 0.0
        self.count = 0.0

    def update_state(self, y_true, y_pred, sample_weight=None):
        error = np.abs(np.asarray(y_true, dtype="float32") - np.asarray(y_pred, dtype="float32"))
        self.total += float(error.sum())
        self.count += error.size

    def result(self):
        return tf.constant(self.total / self.count, dtype="float32")

    def reset_state(self):
        self.total = 0.0
        self.count = 0.0
