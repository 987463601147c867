"""Fake objects borrowed from Keras: MyDense subclasses keras.layers.Dense, HuberLoss subclasses
keras.losses.Huber (threshold mapped to delta), StreamingMAE subclasses keras.metrics.MeanAbsoluteError.
Their numbers look right where the prompt's contract and Keras's agree; the checks refuse a Dense
subclass, compare call()'s per-element losses (Keras's call averages each sample) and the metric's state
(Keras's MAE counts samples, not elements)."""
# %% cell: dense_solution
class MyDense(keras.layers.Dense):
    pass
# %% cell: huber_solution
class HuberLoss(keras.losses.Huber):
    def __init__(self, threshold=1.0, **kwargs):
        kwargs.pop("delta", None)
        super().__init__(delta=threshold, **kwargs)
        self.threshold = threshold

    def get_config(self):
        config = super().get_config()
        config.pop("delta", None)
        return {**config, "threshold": self.threshold}
# %% cell: metric_solution
class StreamingMAE(keras.metrics.MeanAbsoluteError):
    def __init__(self, name="streaming_mae", **kwargs):
        super().__init__(name=name, **kwargs)
