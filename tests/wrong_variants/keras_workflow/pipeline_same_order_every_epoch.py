"""Turns off reshuffle_each_iteration: every epoch repeats the first epoch's order."""
# loses: pipeline_batches, pipeline_drop_remainder
# %% cell: pipeline_solution
def make_pipeline(images, labels, batch_size, seed, drop_remainder=False):
    def to_float_and_int32(image, label):
        return tf.cast(image, tf.float32) / 255.0, tf.cast(label, tf.int32)

    dataset = tf.data.Dataset.from_tensor_slices((images, labels)).map(to_float_and_int32)
    dataset = dataset.shuffle(buffer_size=len(images), seed=seed, reshuffle_each_iteration=False)
    dataset = dataset.batch(batch_size, drop_remainder=drop_remainder)
    return dataset.prefetch(tf.data.AUTOTUNE)
