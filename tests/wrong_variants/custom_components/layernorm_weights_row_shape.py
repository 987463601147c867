"""Gives alpha and beta the shape (1, features) so that they broadcast over rows; the outputs are right,
but the weights do not have the shape input_shape[-1:] that the task asks for. Only the weights check
may lose for it: the checks that set weights reshape their values to the weights' shape."""
# loses: layernorm_weights
# %% cell: layernorm_solution
class LayerNormalization(keras.layers.Layer):
    def __init__(self, eps=1e-3, **kwargs):
        super().__init__(**kwargs)
        self.eps = eps

    def build(self, input_shape):
        self.alpha = self.add_weight(name="alpha", shape=(1, input_shape[-1]), initializer="ones", dtype="float32")
        self.beta = self.add_weight(name="beta", shape=(1, input_shape[-1]), initializer="zeros", dtype="float32")

    def call(self, x):
        mean, variance = tf.nn.moments(x, axes=-1, keepdims=True)
        return self.alpha * (x - mean) / (tf.sqrt(variance) + self.eps) + self.beta

    def get_config(self):
        return {**super().get_config(), "eps": self.eps}
