"""Made-up history: fit trains nothing and returns a plausible history (loss falling, accuracy rising,
the right keys and lengths, Python floats), with learning rates of 0.01. The history check compares the
values with the reference's on hidden data; the learning rates are judged by training the reference
model, not by the student's fit."""
# %% cell: fit_solution
def fit(model, train_data, valid_data, epochs, batch_size, opt_lower, opt_output):
    history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
    for epoch in range(epochs):
        history["loss"].append(1.2 / (epoch + 1))
        history["accuracy"].append(0.6 + 0.1 * epoch)
        history["val_loss"].append(1.3 / (epoch + 1))
        history["val_accuracy"].append(0.78 + 0.01 * epoch)
        print(f"epoch {epoch + 1}/{epochs} - loss {history['loss'][-1]:.4f}")
    return history
# %% cell: lr_answer
LR_LOWER = 0.01
LR_OUTPUT = 0.01
