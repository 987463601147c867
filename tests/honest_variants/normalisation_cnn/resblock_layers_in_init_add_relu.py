"""The residual block with the four main sub-layers created in __init__ (only the shortcut waits for build,
which knows the input's channels), keras.layers.Add and keras.layers.ReLU layers for the sum and the
activations, and the shortcut decided from input_shape[-1] in build."""
# loses:
# %% cell: resblock_solution
class BasicBlock(keras.layers.Layer):
    def __init__(self, filters, stride=1, **kwargs):
        super().__init__(**kwargs)
        self.filters, self.stride = filters, stride
        self.conv1 = keras.layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)
        self.bn1 = keras.layers.BatchNormalization()
        self.conv2 = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)
        self.bn2 = keras.layers.BatchNormalization()
        self.add = keras.layers.Add()
        self.relu1 = keras.layers.ReLU()
        self.relu2 = keras.layers.ReLU()

    def build(self, input_shape):
        needs_projection = self.stride != 1 or input_shape[-1] != self.filters
        self.shortcut_conv = (keras.layers.Conv2D(self.filters, 1, strides=self.stride, use_bias=False)
                              if needs_projection else None)
        self.shortcut_bn = keras.layers.BatchNormalization() if needs_projection else None

    def call(self, x, training=False):
        y = self.relu1(self.bn1(self.conv1(x), training=training))
        y = self.bn2(self.conv2(y), training=training)
        if self.shortcut_conv is None:
            return self.relu2(self.add([y, x]))
        return self.relu2(self.add([y, self.shortcut_bn(self.shortcut_conv(x), training=training)]))
