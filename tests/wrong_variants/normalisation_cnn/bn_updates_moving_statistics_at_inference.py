"""Updates the moving statistics on every call, also in inference mode (after normalising with them)."""
# loses: bn_inference_output
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
        reduce = tuple(range(x.ndim - 1))
        mean, variance = x.mean(axis=reduce), x.var(axis=reduce)
        if training:
            out = self.gamma * (x - mean) / np.sqrt(variance + self.epsilon) + self.beta
        else:
            out = self.gamma * (x - self.moving_mean) / np.sqrt(self.moving_variance + self.epsilon) + self.beta
        self.moving_mean = self.momentum * self.moving_mean + (1 - self.momentum) * mean
        self.moving_variance = self.momentum * self.moving_variance + (1 - self.momentum) * variance
        return out
