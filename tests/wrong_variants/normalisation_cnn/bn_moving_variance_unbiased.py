"""Updates the moving variance with the unbiased batch variance (ddof=1), not the biased one Keras uses."""
# loses: bn_moving_statistics, bn_inference_output
# %% cell: batchnorm_solution
class BatchNorm:
    def __init__(self, channels, momentum=0.99, epsilon=1e-3):
        self.momentum = momentum
        self.epsilon = epsilon
        self.gamma = np.ones(channels)
        self.beta = np.zeros(channels)
        self.moving_mean = np.zeros(channels)
        self.moving_variance = np.ones(channels)

    def __call__(self, x, training=False):
        x = np.asarray(x, dtype=np.float64)
        if training:
            reduce = tuple(range(x.ndim - 1))
            mean = x.mean(axis=reduce)
            variance = x.var(axis=reduce)
            self.moving_mean = self.momentum * self.moving_mean + (1 - self.momentum) * mean
            unbiased = x.var(axis=reduce, ddof=1)
            self.moving_variance = self.momentum * self.moving_variance + (1 - self.momentum) * unbiased
        else:
            mean, variance = self.moving_mean, self.moving_variance
        return self.gamma * (x - mean) / np.sqrt(variance + self.epsilon) + self.beta
