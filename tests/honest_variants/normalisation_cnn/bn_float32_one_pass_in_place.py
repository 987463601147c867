"""Batch normalisation in float32 (the input's own dtype, no conversion), the variance from one pass as
E[x^2] - E[x]^2, and the moving statistics updated in place with *= and +=; the answers to 1b as NumPy
scalars (np.float64 and np.int64)."""
# loses:
# %% cell: batchnorm_solution
class BatchNorm:
    def __init__(self, channels, momentum=0.99, epsilon=1e-3):
        self.momentum = momentum
        self.epsilon = epsilon
        self.gamma = np.ones(channels, dtype=np.float32)
        self.beta = np.zeros(channels, dtype=np.float32)
        self.moving_mean = np.zeros(channels, dtype=np.float32)
        self.moving_variance = np.ones(channels, dtype=np.float32)

    def __call__(self, x, training=False):
        axes = tuple(range(np.ndim(x) - 1))
        if training:
            mean = np.mean(x, axis=axes)
            variance = np.mean(np.square(x), axis=axes) - np.square(mean)
            self.moving_mean *= self.momentum
            self.moving_mean += (1 - self.momentum) * mean
            self.moving_variance *= self.momentum
            self.moving_variance += (1 - self.momentum) * variance
        else:
            mean, variance = self.moving_mean, self.moving_variance
        scale = self.gamma / np.sqrt(variance + self.epsilon)
        return (x - mean) * scale + self.beta
# %% cell: bn_lag_answer
BN_MEAN_AFTER_100 = np.float64(5.0) * (1 - np.float64(0.99) ** 100)
BN_STEPS_TO_99_PERCENT = np.ceil(np.log(0.01) / np.log(0.99)).astype(np.int64)
print(type(BN_MEAN_AFTER_100), type(BN_STEPS_TO_99_PERCENT))
