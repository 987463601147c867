"""Casts the images to float32 but forgets to divide by 255."""
# loses: pipeline_batches, pipeline_drop_remainder
# %% cell: pipeline_solution
def make_pipeline(images, labels, batch_size, seed, drop_remainder=False):
    def to_float_and_int32(image, label):
        return tf.cast(image, tf.float32), tf.cast(label, tf.int32)

    dataset = tf.data.Dataset.from_tensor_slices((images, labels)).map(to_float_and_int32)
    dataset = dataset.shuffle(buffer_size=len(images), seed=seed)
    dataset = dataset.batch(batch_size, drop_remainder=drop_remainder)
    return dataset.prefetch(tf.data.AUTOTUNE)
