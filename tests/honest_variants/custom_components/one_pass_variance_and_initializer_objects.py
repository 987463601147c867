"""LayerNormalization with the textbook one-pass variance E[x^2] - E[x]^2 (float32, reduce_mean) instead
of tf.nn.moments, initializer objects instead of strings, and the standard deviation via tf.math.sqrt;
HuberLoss written with the clipped error (q = min(|e|, d): 0.5 q^2 + d (|e| - q)) instead of tf.where."""
# loses:
# %% cell: layernorm_solution
class LayerNormalization(keras.layers.Layer):
    def __init__(self, eps=1e-3, **kwargs):
        super().__init__(**kwargs)
        self.eps = eps

    def build(self, input_shape):
        features = input_shape[-1]
        self.alpha = self.add_weight(shape=(features,), initializer=keras.initializers.Ones(), name="alpha")
        self.beta = self.add_weight(shape=(features,), initializer=keras.initializers.Zeros(), name="beta")

    def call(self, x):
        mean = tf.reduce_mean(x, axis=-1, keepdims=True)
        variance = tf.reduce_mean(tf.square(x), axis=-1, keepdims=True) - tf.square(mean)
        std = tf.math.sqrt(variance)
        return self.alpha * (x - mean) / (std + self.eps) + self.beta

    def get_config(self):
        config = super().get_config()
        config.update({"eps": self.eps})
        return config
# %% cell: huber_solution
class HuberLoss(keras.losses.Loss):
    def __init__(self, threshold=1.0, **kwargs):
        super().__init__(**kwargs)
        self.threshold = threshold

    def call(self, y_true, y_pred):
        y_true = tf.cast(y_true, y_pred.dtype)
        abs_error = tf.abs(y_true - y_pred)
        quadratic = tf.minimum(abs_error, self.threshold)
        return 0.5 * tf.square(quadratic) + self.threshold * (abs_error - quadratic)

    def get_config(self):
        base = super().get_config()
        return dict(base, threshold=self.threshold)
