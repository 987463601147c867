"""Made-up outcomes: early_stopping_outcome guesses from the lowest loss (stop patience epochs after
it) instead of applying the callback's rules, and the recorder fills its list with a plausible falling
curve without reading the logs. The hidden sequences have late, small drops and drops of exactly
min_delta, and the recorder is judged on the losses of a fit on hidden data."""
# %% cell: early_stopping_solution
def early_stopping_outcome(val_losses, patience, min_delta=0.0, restore_best_weights=False):
    best = int(np.argmin(val_losses))
    epochs_run = min(len(val_losses), best + patience + 1)
    return epochs_run, best if restore_best_weights else epochs_run - 1
# %% cell: recorder_solution
class BatchRecorder(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.losses = []
        self.epochs = self.params.get("epochs", 1)

    def on_train_batch_end(self, batch, logs=None):
        self.losses.append(1.0 / (len(self.losses) + 1))
