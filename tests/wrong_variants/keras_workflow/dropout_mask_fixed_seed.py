"""Draws the mask with an integer seed: every call drops the same units."""
# loses: dropout_behaviour
# %% cell: dropout_solution
class InvertedDropout(keras.layers.Layer):
    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, x, training=False):
        if not training:
            return x
        keep = keras.random.uniform(keras.ops.shape(x), seed=1234) >= self.rate
        return keras.ops.where(keep, x / (1.0 - self.rate), keras.ops.zeros_like(x))
