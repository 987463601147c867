"""tf.nn.moments (population variance) and tf.where for the constant feature, tf.norm of the
broadcast differences, center_pad from the dynamic tf.shape instead of the static shape, and
set_pixels by scattering a mask and choosing with tf.where instead of tensor_scatter_nd_update."""
# loses:
# %% cell: set_pixels_solution
def set_pixels(image, coords, values):
    image = tf.convert_to_tensor(image)
    coords = tf.convert_to_tensor(coords)
    shape = tf.shape(image, out_type=coords.dtype)
    updates = tf.scatter_nd(coords, tf.cast(values, image.dtype), shape)
    hit = tf.scatter_nd(coords, tf.ones_like(tf.cast(values, tf.int32)), tf.shape(image, out_type=coords.dtype)) > 0
    return tf.where(hit, updates, image)
# %% cell: pairwise_solution
def pairwise_distances(a, b):
    diff = tf.expand_dims(tf.cast(a, tf.float32), 1) - tf.expand_dims(tf.cast(b, tf.float32), 0)
    return tf.norm(diff, axis=-1)
# %% cell: standardize_solution
def standardize_and_clip(x, limit=3.0):
    x = tf.cast(x, tf.float32)
    mean, variance = tf.nn.moments(x, axes=[0], keepdims=True)
    std = tf.sqrt(variance)
    z = tf.where(std > 0, (x - mean) / tf.where(std > 0, std, 1.0), 0.0)
    return tf.clip_by_value(z, -limit, limit)
# %% cell: pad_solution
def center_pad(images, size):
    shape = tf.shape(images)
    extra_h, extra_w = size - shape[1], size - shape[2]
    top, left = extra_h // 2, extra_w // 2
    return tf.pad(images, [[0, 0], [top, extra_h - top], [left, extra_w - left], [0, 0]])
