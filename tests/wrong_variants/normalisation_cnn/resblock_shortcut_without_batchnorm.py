"""Projects the shortcut with the 1x1 convolution but leaves out its batch normalisation (shortcut_bn = None
and unused): the shortcut's values and the parameter counts change."""
# loses: resblock_shapes, resblock_structure, resblock_output
# %% cell: resblock_solution
class BasicBlock(keras.layers.Layer):
    def __init__(self, filters, stride=1, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.stride = stride

    def build(self, input_shape):
        self.conv1 = keras.layers.Conv2D(self.filters, 3, strides=self.stride, padding="same", use_bias=False)
        self.bn1 = keras.layers.BatchNormalization()
        self.conv2 = keras.layers.Conv2D(self.filters, 3, strides=1, padding="same", use_bias=False)
        self.bn2 = keras.layers.BatchNormalization()
        self.shortcut_bn = None
        if self.stride != 1 or input_shape[-1] != self.filters:
            self.shortcut_conv = keras.layers.Conv2D(self.filters, 1, strides=self.stride, use_bias=False)
        else:
            self.shortcut_conv = None

    def call(self, x, training=False):
        y = keras.activations.relu(self.bn1(self.conv1(x), training=training))
        y = self.bn2(self.conv2(y), training=training)
        shortcut = x if self.shortcut_conv is None else self.shortcut_conv(x)
        return keras.activations.relu(y + shortcut)
