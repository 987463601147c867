"""Keeps the default use_bias=True in the three convolutions: extra trainable parameters, and in inference
mode the biases shift what the batch normalisation's moving mean removes."""
# loses: resblock_structure, resblock_output
# %% cell: resblock_solution
class BasicBlock(keras.layers.Layer):
    def __init__(self, filters, stride=1, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.stride = stride

    def build(self, input_shape):
        self.conv1 = keras.layers.Conv2D(self.filters, 3, strides=self.stride, padding="same")
        self.bn1 = keras.layers.BatchNormalization()
        self.conv2 = keras.layers.Conv2D(self.filters, 3, strides=1, padding="same")
        self.bn2 = keras.layers.BatchNormalization()
        if self.stride != 1 or input_shape[-1] != self.filters:
            self.shortcut_conv = keras.layers.Conv2D(self.filters, 1, strides=self.stride)
            self.shortcut_bn = keras.layers.BatchNormalization()
        else:
            self.shortcut_conv = None
            self.shortcut_bn = None

    def call(self, x, training=False):
        y = keras.activations.relu(self.bn1(self.conv1(x), training=training))
        y = self.bn2(self.conv2(y), training=training)
        shortcut = x
        if self.shortcut_conv is not None:
            shortcut = self.shortcut_bn(self.shortcut_conv(x), training=training)
        return keras.activations.relu(y + shortcut)
