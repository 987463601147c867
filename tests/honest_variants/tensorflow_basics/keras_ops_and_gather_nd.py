"""keras.ops instead of tf where Keras has the op (cast, one_hot, transpose, clip), tf.gather_nd with
explicit (row, label) pairs instead of gather with batch_dims, tf.where + tf.gather instead of
boolean_mask, and the forward pass with keras.ops.matmul/relu and a dynamic batch size."""
# loses:
# %% cell: normalize_solution
import keras


def normalize_images(images):
    return keras.ops.cast(images, "float32") * (2.0 / 255.0) - 1.0
# %% cell: one_hot_solution
def one_hot_labels(labels, depth):
    return keras.ops.one_hot(labels, depth, dtype="float32")
# %% cell: layout_solution
def to_channels_first(images):
    return keras.ops.transpose(images, (0, 3, 1, 2))


def to_channels_last(images):
    return keras.ops.transpose(images, (0, 2, 3, 1))
# %% cell: gather_solution
def true_class_scores(logits, labels):
    labels = tf.cast(labels, tf.int64)
    rows = tf.range(tf.shape(labels, out_type=tf.int64)[0])
    return tf.gather_nd(logits, tf.stack([rows, labels], axis=1))
# %% cell: confident_solution
def select_confident(probs, threshold):
    indices = tf.reshape(tf.where(tf.reduce_max(probs, axis=-1) >= threshold), [-1])
    return tf.gather(probs, indices), indices
# %% cell: forward_solution
def forward(x, params):
    h = tf.reshape(tf.cast(x, tf.float32), (tf.shape(x)[0], 784))
    for i, (w, b) in enumerate(params):
        h = keras.ops.matmul(h, w) + b
        if i < len(params) - 1:
            h = keras.ops.relu(h)
    return h
