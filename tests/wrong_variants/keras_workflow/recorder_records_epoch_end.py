"""Records in on_epoch_end: one value per epoch instead of one per batch."""
# loses: batch_recorder
# %% cell: recorder_solution
class BatchRecorder(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.losses = []

    def on_epoch_end(self, epoch, logs=None):
        self.losses.append(float(logs["loss"]))
