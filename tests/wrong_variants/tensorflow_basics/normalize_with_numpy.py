"""Normalises with NumPy and converts the result with tf.constant: right values in eager mode, but
not TensorFlow operations (the prompt's rule), so it cannot run as a graph."""
# loses: normalize_images
# %% cell: normalize_solution
def normalize_images(images):
    return tf.constant(np.asarray(images, dtype=np.float32) / 127.5 - 1.0)
