"""The pipeline shuffles, batches and then maps whole batches (the same batches); dropout with
tf.random.uniform and a multiplication by the mask; the callback driven by hand inside a fit-free
loop with its own marker weights; the transfer model's head in a Sequential; the recorder's list
reset in on_train_begin through a helper."""
# loses:
# %% cell: pipeline_solution
def make_pipeline(images, labels, batch_size, seed, drop_remainder=False):
    n = images.shape[0]
    dataset = tf.data.Dataset.from_tensor_slices((images, labels)).shuffle(n, seed=seed)
    dataset = dataset.batch(batch_size, drop_remainder=drop_remainder)
    dataset = dataset.map(lambda x, y: (tf.cast(x, tf.float32) * (1.0 / 255.0), tf.cast(y, tf.int32)),
                          num_parallel_calls=tf.data.AUTOTUNE)
    return dataset.prefetch(2)
# %% cell: early_stopping_solution
def early_stopping_outcome(val_losses, patience, min_delta=0.0, restore_best_weights=False):
    marker = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    marker.stop_training = False
    callback = keras.callbacks.EarlyStopping(patience=patience, min_delta=min_delta,
                                             restore_best_weights=restore_best_weights, mode="min")
    callback.set_model(marker)
    callback.on_train_begin()
    for epoch in range(len(val_losses)):
        marker.layers[0].bias.assign([float(epoch)])
        callback.on_epoch_end(epoch, logs={"val_loss": val_losses[epoch], "loss": 0.0})
        if marker.stop_training:
            break
    callback.on_train_end()
    return epoch + 1, int(marker.layers[0].bias.numpy()[0])
# %% cell: recorder_solution
class BatchRecorder(keras.callbacks.Callback):
    def _reset(self):
        self.losses = []

    def on_train_begin(self, logs=None):
        self._reset()

    def on_train_batch_end(self, batch, logs=None):
        self.losses.append(float(np.asarray(logs["loss"])))
# %% cell: transfer_solution
def make_transfer_model(base, n_classes):
    base.trainable = False
    head = keras.Sequential([keras.layers.Dense(n_classes)])
    inputs = keras.Input(shape=base.input_shape[1:])
    return keras.Model(inputs, head(base(inputs, training=False)))
# %% cell: dropout_solution
class InvertedDropout(keras.layers.Layer):
    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = float(rate)

    def call(self, x, training=False):
        if not training:
            return tf.identity(x)
        mask = tf.cast(tf.random.uniform(tf.shape(x)) >= self.rate, x.dtype)
        return x * mask / (1.0 - self.rate)
