"""Reads rate as the probability of keeping a unit."""
# loses: dropout_behaviour
# %% cell: dropout_solution
class InvertedDropout(keras.layers.Layer):
    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.seed_generator = keras.random.SeedGenerator()

    def call(self, x, training=False):
        if not training:
            return x
        keep = keras.random.uniform(keras.ops.shape(x), seed=self.seed_generator) < self.rate
        return keras.ops.where(keep, x / (1.0 - self.rate), keras.ops.zeros_like(x))
