"""Scales the images with NumPy before building the dataset (the same float32 values), map only
for the labels; no get_config override (Keras 3 records the plain constructor arguments by
itself); tf.nn.dropout; unfreezing layer by layer; the counts as NumPy integers; the early-stopping rules with a countdown."""
# loses:
# %% cell: pipeline_solution
def make_pipeline(images, labels, batch_size, seed, drop_remainder=False):
    scaled = images.astype(np.float32) / np.float32(255)
    dataset = tf.data.Dataset.from_tensor_slices((scaled, labels))
    dataset = dataset.map(lambda x, y: (x, tf.cast(y, "int32")))
    dataset = dataset.shuffle(buffer_size=scaled.shape[0], seed=seed)
    return dataset.batch(batch_size, drop_remainder).prefetch(buffer_size=tf.data.AUTOTUNE)
# %% cell: early_stopping_solution
def early_stopping_outcome(val_losses, patience, min_delta=0.0, restore_best_weights=False):
    best_index = 0
    patience_left = patience
    for i in range(1, len(val_losses)):
        if val_losses[best_index] - val_losses[i] > min_delta:
            best_index, patience_left = i, patience
            continue
        patience_left -= 1
        if patience_left <= 0:
            return i + 1, best_index if restore_best_weights else i
    n = len(val_losses)
    return n, best_index if restore_best_weights else n - 1
# %% cell: clipped_scale_solution
class ClippedScale(keras.layers.Layer):
    def __init__(self, limit=1.0, **kwargs):
        super().__init__(**kwargs)
        self.limit = limit

    def build(self, input_shape):
        self.scale = self.add_weight(name="scale", shape=(input_shape[-1],),
                                     initializer=keras.initializers.Ones(), trainable=True)

    def call(self, x):
        return tf.minimum(tf.maximum(x * self.scale, -self.limit), self.limit)
# %% cell: fine_tune_solution
def unfreeze_for_fine_tuning(base):
    base.trainable = True
    for layer in base.layers:
        layer.trainable = not isinstance(layer, keras.layers.BatchNormalization)
# %% cell: counts_answer
FROZEN_COUNTS = (np.int64(24 + 3), np.int64(112 + 64 + 136))
FINE_TUNE_COUNTS = (np.int64(112 + 136 + 27), np.int64(64))
ALL_TRAINABLE_COUNTS = (np.int64(112 + 32 + 136 + 27), np.int64(32))
# %% cell: dropout_solution
class InvertedDropout(keras.layers.Layer):
    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, x, training=False):
        return tf.nn.dropout(x, rate=self.rate) if training else x
