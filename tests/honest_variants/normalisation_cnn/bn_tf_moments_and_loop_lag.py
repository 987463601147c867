"""Batch normalisation with tf.nn.moments and tf.nn.batch_normalization, converted back to NumPy arrays
(.numpy()); the lag answers found by running the student's own BatchNorm step by step."""
# loses:
# %% cell: batchnorm_solution
class BatchNorm:
    def __init__(self, channels, momentum=0.99, epsilon=1e-3):
        self.momentum, self.epsilon = momentum, epsilon
        self.gamma, self.beta = np.ones(channels), np.zeros(channels)
        self.moving_mean, self.moving_variance = np.zeros(channels), np.ones(channels)

    def __call__(self, x, training=False):
        x = tf.constant(x, dtype=tf.float64)
        if training:
            mean, variance = tf.nn.moments(x, axes=list(range(len(x.shape) - 1)))
            m = self.momentum
            self.moving_mean = (m * self.moving_mean + (1 - m) * mean).numpy()
            self.moving_variance = (m * self.moving_variance + (1 - m) * variance).numpy()
        else:
            mean, variance = self.moving_mean, self.moving_variance
        return tf.nn.batch_normalization(x, mean, variance, self.beta, self.gamma, self.epsilon).numpy()
# %% cell: bn_lag_answer
_lag = BatchNorm(1)
_steps, BN_STEPS_TO_99_PERCENT = 0, None
while BN_STEPS_TO_99_PERCENT is None or _steps < 100:
    _lag(np.array([[4.0], [6.0]]), training=True)
    _steps += 1
    if _steps == 100:
        BN_MEAN_AFTER_100 = float(_lag.moving_mean[0])
    if BN_STEPS_TO_99_PERCENT is None and _lag.moving_mean[0] >= 4.95:
        BN_STEPS_TO_99_PERCENT = _steps
print(BN_MEAN_AFTER_100, BN_STEPS_TO_99_PERCENT)
