"""Fake object: a block that creates exactly the sub-layers the prompt lists (so the variables, their shapes
and the trainable/non-trainable counts are right) but whose call returns zeros of the right output shape
without computing anything. Stopped by the check: shapes and structure are judged together with the
exported blocks' outputs on hidden inputs."""
# %% cell: resblock_solution
class BasicBlock(keras.layers.Layer):
    def __init__(self, filters, stride=1, **kwargs):
        super().__init__(**kwargs)
        self.filters, self.stride = filters, stride

    def build(self, input_shape):
        f, s = self.filters, self.stride
        self.conv1 = keras.layers.Conv2D(f, 3, strides=s, padding="same", use_bias=False)
        self.bn1 = keras.layers.BatchNormalization()
        self.conv2 = keras.layers.Conv2D(f, 3, padding="same", use_bias=False)
        self.bn2 = keras.layers.BatchNormalization()
        projection = s != 1 or input_shape[-1] != f
        self.shortcut_conv = keras.layers.Conv2D(f, 1, strides=s, use_bias=False) if projection else None
        self.shortcut_bn = keras.layers.BatchNormalization() if projection else None

    def call(self, x, training=False):
        y = self.bn2(self.conv2(self.bn1(self.conv1(x))))
        if self.shortcut_conv is not None:
            self.shortcut_bn(self.shortcut_conv(x))
        return 0.0 * y
