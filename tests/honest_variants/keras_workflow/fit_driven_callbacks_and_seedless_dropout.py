"""The early-stopping outcome read from a real model.fit (a callback ahead of EarlyStopping writes
the given val_loss into the epoch's logs and marks the weights with the epoch number); the images
converted with tf.image.convert_image_dtype; the recorder overriding on_batch_end (which Keras's
on_train_batch_end calls); loading inside keras.saving.custom_object_scope; dropout drawn with
keras.random.uniform without any seed (Keras's global seed generator)."""
# loses:
# %% cell: pipeline_solution
def make_pipeline(images, labels, batch_size, seed, drop_remainder=False):
    def convert(image, label):
        return tf.image.convert_image_dtype(image, tf.float32), tf.cast(label, tf.int32)

    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    dataset = dataset.map(convert, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    dataset = dataset.shuffle(images.shape[0], seed=seed).batch(batch_size, drop_remainder=drop_remainder)
    return dataset.prefetch(tf.data.AUTOTUNE)
# %% cell: early_stopping_solution
class _ValidationLossFromList(keras.callbacks.Callback):
    """Stands in for validation: puts the listed loss into the logs EarlyStopping reads next."""

    def __init__(self, losses):
        super().__init__()
        self.losses = losses

    def on_epoch_end(self, epoch, logs=None):
        logs["val_loss"] = self.losses[epoch]
        self.model.set_weights([np.full((1, 1), float(epoch), dtype="float32")])


def early_stopping_outcome(val_losses, patience, min_delta=0.0, restore_best_weights=False):
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, use_bias=False)])
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    stopper = keras.callbacks.EarlyStopping(patience=patience, min_delta=min_delta,
                                            restore_best_weights=restore_best_weights)
    history = model.fit(np.zeros((2, 1), "float32"), np.zeros((2, 1), "float32"), epochs=len(val_losses),
                        verbose=0, callbacks=[_ValidationLossFromList(val_losses), stopper])
    return len(history.epoch), int(np.rint(model.get_weights()[0].item()))
# %% cell: recorder_solution
class BatchRecorder(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.losses = []

    def on_batch_end(self, batch, logs=None):
        self.losses.append(float(logs["loss"]))
# %% cell: save_solution
def save_and_reload(model, folder):
    target = os.path.join(folder, "model.keras")
    model.save(target)
    with keras.saving.custom_object_scope({"ClippedScale": ClippedScale}):
        return keras.models.load_model(target)
# %% cell: dropout_solution
class InvertedDropout(keras.layers.Layer):
    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, x, training=False):
        if not training:
            return x
        keep = keras.ops.cast(keras.random.uniform(keras.ops.shape(x)) >= self.rate, x.dtype)
        return x * keep * (1.0 / (1.0 - self.rate))
