"""Lying __array__: a BatchNorm that does not normalise (it returns its input) and whose moving_mean and
moving_variance are objects that convert themselves, when read, into the statistics of a hidden
keras.layers.BatchNormalization fed the same batches. Stopped by the check: the state must be a real
np.ndarray, read with the array's own methods."""
# %% cell: batchnorm_solution
class _Statistic:
    def __init__(self, owner, name):
        self.owner, self.name = owner, name

    def __array__(self, dtype=None, copy=None):
        values = np.asarray(getattr(self.owner.keras_layer, self.name)) if self.owner.keras_layer is not None else (
            np.zeros(self.owner.channels) if self.name == "moving_mean" else np.ones(self.owner.channels))
        return values.astype(dtype or np.float64)


class BatchNorm:
    def __init__(self, channels, momentum=0.99, epsilon=1e-3):
        self.channels, self.momentum, self.epsilon = channels, momentum, epsilon
        self.gamma, self.beta = np.ones(channels), np.zeros(channels)
        self.keras_layer = None
        self.moving_mean = _Statistic(self, "moving_mean")
        self.moving_variance = _Statistic(self, "moving_variance")

    def __call__(self, x, training=False):
        if training:
            if self.keras_layer is None:
                self.keras_layer = keras.layers.BatchNormalization(momentum=self.momentum, epsilon=self.epsilon)
            self.keras_layer(np.asarray(x, dtype="float32"), training=True)
        return np.asarray(x)
