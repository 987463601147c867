"""A correct normalize_images and one_hot_labels that keep a tf.print debugging line each (the op
runs inside the graph, so it prints when the hidden inputs go through it)."""
# loses:
# %% cell: normalize_solution
def normalize_images(images):
    tf.print("normalize_images: input shape", tf.shape(images))
    return tf.cast(images, tf.float32) / 127.5 - 1.0
# %% cell: one_hot_solution
def one_hot_labels(labels, depth):
    out = tf.one_hot(labels, depth)
    tf.print("one_hot_labels:", tf.shape(out))
    return out
