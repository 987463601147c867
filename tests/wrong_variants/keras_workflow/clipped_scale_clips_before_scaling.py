"""Clips the input first and scales afterwards: outputs can leave [-limit, limit]."""
# loses: clipped_scale_forward
# %% cell: clipped_scale_solution
class ClippedScale(keras.layers.Layer):
    def __init__(self, limit=1.0, **kwargs):
        super().__init__(**kwargs)
        self.limit = limit

    def build(self, input_shape):
        self.scale = self.add_weight(name="scale", shape=(input_shape[-1],), initializer="ones")

    def call(self, x):
        return tf.clip_by_value(x, -self.limit, self.limit) * self.scale

    def get_config(self):
        return {**super().get_config(), "limit": self.limit}
