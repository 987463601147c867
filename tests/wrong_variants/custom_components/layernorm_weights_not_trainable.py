"""Creates alpha and beta with trainable=False: the model can never learn them."""
# loses: layernorm_weights, layernorm_gradients, layernorm_in_model
# %% cell: layernorm_solution
class LayerNormalization(keras.layers.Layer):
    def __init__(self, eps=1e-3, **kwargs):
        super().__init__(**kwargs)
        self.eps = eps

    def build(self, input_shape):
        self.alpha = self.add_weight(name="alpha", shape=input_shape[-1:], initializer="ones", trainable=False)
        self.beta = self.add_weight(name="beta", shape=input_shape[-1:], initializer="zeros", trainable=False)

    def call(self, x):
        mean, variance = tf.nn.moments(x, axes=-1, keepdims=True)
        return self.alpha * (x - mean) / (tf.sqrt(variance) + self.eps) + self.beta

    def get_config(self):
        return {**super().get_config(), "eps": self.eps}
