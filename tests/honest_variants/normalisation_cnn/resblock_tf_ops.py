"""The residual block's call written with tf.nn.relu and tf.add, the training flag passed by keyword, and a
leftover debugging print of the output shape."""
# loses:
# %% cell: resblock_solution
class BasicBlock(keras.layers.Layer):
    def __init__(self, filters, stride=1, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.stride = stride

    def build(self, input_shape):
        f, s = self.filters, self.stride
        self.conv1 = keras.layers.Conv2D(f, kernel_size=(3, 3), strides=(s, s), padding="same", use_bias=False)
        self.bn1 = keras.layers.BatchNormalization(momentum=0.99, epsilon=1e-3)
        self.conv2 = keras.layers.Conv2D(f, kernel_size=(3, 3), padding="same", use_bias=False)
        self.bn2 = keras.layers.BatchNormalization(momentum=0.99, epsilon=1e-3)
        identity = s == 1 and int(input_shape[-1]) == f
        self.shortcut_conv = None if identity else keras.layers.Conv2D(f, kernel_size=1, strides=s, use_bias=False)
        self.shortcut_bn = None if identity else keras.layers.BatchNormalization()

    def call(self, x, training=False):
        y = tf.nn.relu(self.bn1(self.conv1(x), training=training))
        y = self.bn2(self.conv2(y), training=training)
        shortcut = x if self.shortcut_conv is None else self.shortcut_bn(self.shortcut_conv(x), training=training)
        out = tf.nn.relu(tf.add(y, shortcut))
        print("BasicBlock output", out.shape)
        return out
