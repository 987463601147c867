"""Batches first and shuffles the batches: each batch holds consecutive examples, only the order of
the batches changes."""
# loses: pipeline_batches, pipeline_drop_remainder
# %% cell: pipeline_solution
def make_pipeline(images, labels, batch_size, seed, drop_remainder=False):
    def to_float_and_int32(image, label):
        return tf.cast(image, tf.float32) / 255.0, tf.cast(label, tf.int32)

    dataset = tf.data.Dataset.from_tensor_slices((images, labels)).map(to_float_and_int32)
    dataset = dataset.batch(batch_size, drop_remainder=drop_remainder)
    dataset = dataset.shuffle(buffer_size=len(images), seed=seed)
    return dataset.prefetch(tf.data.AUTOTUNE)
