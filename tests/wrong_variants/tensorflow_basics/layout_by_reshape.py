"""Converts NHWC <-> NCHW with tf.reshape: right shapes, values in the wrong places."""
# loses: layout_conversion
# %% cell: layout_solution
def to_channels_first(images):
    n, h, w, c = images.shape
    return tf.reshape(images, (n, c, h, w))


def to_channels_last(images):
    n, c, h, w = images.shape
    return tf.reshape(images, (n, h, w, c))
