"""Divides by the variance instead of the standard deviation."""
# loses: layernorm_forward_2d, layernorm_forward_3d, layernorm_gradients, layernorm_config, layernorm_in_model, keras_difference
# %% cell: layernorm_solution
class LayerNormalization(keras.layers.Layer):
    def __init__(self, eps=1e-3, **kwargs):
        super().__init__(**kwargs)
        self.eps = eps

    def build(self, input_shape):
        self.alpha = self.add_weight(name="alpha", shape=input_shape[-1:], initializer="ones", dtype="float32")
        self.beta = self.add_weight(name="beta", shape=input_shape[-1:], initializer="zeros", dtype="float32")

    def call(self, x):
        mean, variance = tf.nn.moments(x, axes=-1, keepdims=True)
        return self.alpha * (x - mean) / (variance + self.eps) + self.beta

    def get_config(self):
        return {**super().get_config(), "eps": self.eps}
