"""keras.ops instead of tf, ClippedScale registered with register_keras_serializable and loaded
without custom_objects (keras.saving functions), early stopping written as plain Python rules,
shuffle before map, the schedule with math.floor, keras.random.dropout with a SeedGenerator, the
BatchNormalization layers found with _flatten_layers, the counts as lists and leftover prints."""
# loses:
# %% cell: pipeline_solution
def make_pipeline(images, labels, batch_size, seed, drop_remainder=False):
    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    dataset = dataset.shuffle(len(labels), seed=seed, reshuffle_each_iteration=True)
    dataset = dataset.map(lambda image, label: (keras.ops.cast(image, "float32") / 255.0,
                                                keras.ops.cast(label, "int32")))
    print("pipeline with", len(labels), "examples")
    return dataset.batch(batch_size, drop_remainder=drop_remainder).prefetch(tf.data.AUTOTUNE)
# %% cell: repeat_shuffle_answer
REPEAT_SHUFFLE_TRUE = {"E", " a", "b"}
# %% cell: early_stopping_solution
def early_stopping_outcome(val_losses, patience, min_delta=0.0, restore_best_weights=False):
    best, best_epoch, waited = float("inf"), 0, 0
    last = len(val_losses) - 1
    for epoch, loss in enumerate(val_losses):
        if loss < best - min_delta:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited >= patience:
                last = epoch
                break
    print("stopped after", last + 1, "epochs")
    return last + 1, best_epoch if restore_best_weights else last
# %% cell: recorder_solution
class BatchRecorder(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        print("recording")
        self.losses = list()

    def on_train_batch_end(self, batch, logs=None):
        self.losses += [float(keras.ops.convert_to_numpy(logs["loss"]))]
# %% cell: schedule_solution
import math


def step_decay(initial_lr, factor, every):
    def schedule(epoch, lr):
        return float(initial_lr * math.pow(factor, math.floor(epoch / every)))
    return schedule
# %% cell: clipped_scale_solution
@keras.saving.register_keras_serializable(package="keras_workflow")
class ClippedScale(keras.layers.Layer):
    def __init__(self, limit=1.0, **kwargs):
        super().__init__(**kwargs)
        self.limit = limit

    def build(self, input_shape):
        self.scale = self.add_variable(shape=(input_shape[-1],), initializer="ones", name="scale")

    def call(self, x):
        return keras.ops.clip(keras.ops.multiply(x, self.scale), -self.limit, self.limit)

    def get_config(self):
        config = super().get_config()
        config["limit"] = self.limit
        return config
# %% cell: save_solution
def save_and_reload(model, folder):
    path = os.path.join(folder, "model.keras")
    keras.saving.save_model(model, path)
    print("saved to", path)
    return keras.saving.load_model(path)
# %% cell: transfer_solution
def make_transfer_model(base, n_classes):
    for layer in base.layers:
        layer.trainable = False
    inputs = keras.Input(shape=base.input_shape[1:])
    logits = keras.layers.Dense(n_classes, name="new_head")(base(inputs, training=False))
    return keras.Model(inputs=inputs, outputs=logits, name="transfer")
# %% cell: fine_tune_solution
def unfreeze_for_fine_tuning(base):
    base.trainable = True
    frozen = [layer for layer in base._flatten_layers(include_self=False)
              if isinstance(layer, keras.layers.BatchNormalization)]
    for layer in frozen:
        layer.trainable = False
    print("kept frozen:", [layer.name for layer in frozen])
# %% cell: counts_answer
FROZEN_COUNTS = [27, 312]
FINE_TUNE_COUNTS = [275, 64]
ALL_TRAINABLE_COUNTS = [307, 32]
# %% cell: dropout_solution
class InvertedDropout(keras.layers.Layer):
    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.seed_generator = keras.random.SeedGenerator(seed=7)

    def call(self, x, training=False):
        if training:
            return keras.random.dropout(x, self.rate, seed=self.seed_generator)
        return x
