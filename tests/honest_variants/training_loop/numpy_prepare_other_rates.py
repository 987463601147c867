"""prepare divides by np.float32(255) after np.asarray(..., dtype=np.float32) and casts labels with
np.int32; train_step computes the gradients of the two lists in one call of tape.gradient on their
concatenation written with list unpacking and returns the loss as a NumPy value; fit's loss metric is fed
the batch's loss once per image (update_state on a vector of repeated losses: the same mean over images);
other learning rates that train well (0.1 and 0.3); the choice letters in upper case."""
# loses:
# %% cell: prepare_solution
def prepare(images, labels):
    x = np.asarray(images, dtype=np.float32) / np.float32(255)
    return x, np.int32(labels)
# %% cell: train_step_solution
def train_step(model, x, y, loss_fn, opt_lower, opt_output):
    lower, output = split_variables(model)
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = loss_fn(y, logits)
    gradients = tape.gradient(loss, [*lower, *output])
    n = len(lower)
    opt_lower.apply_gradients(list(zip(gradients[:n], lower)))
    opt_output.apply_gradients(list(zip(gradients[n:], output)))
    return loss.numpy(), logits
# %% cell: fit_solution
def fit(model, train_data, valid_data, epochs, batch_size, opt_lower, opt_output):
    x, y = train_data
    x_valid, y_valid = valid_data
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    mean_loss = keras.metrics.Mean()
    accuracy = keras.metrics.SparseCategoricalAccuracy()
    history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
    for epoch in range(epochs):
        mean_loss.reset_state()
        accuracy.reset_state()
        i = 0
        while i < len(x):
            x_batch, y_batch = x[i:i + batch_size], y[i:i + batch_size]
            loss, logits = train_step(model, x_batch, y_batch, loss_fn, opt_lower, opt_output)
            mean_loss.update_state(np.full(len(x_batch), float(loss), dtype="float32"))
            accuracy.update_state(y_batch, logits)
            i += batch_size
        val_logits = model(x_valid, training=False)
        val_acc = keras.metrics.SparseCategoricalAccuracy()
        val_acc.update_state(y_valid, val_logits)
        history["loss"].append(float(mean_loss.result()))
        history["accuracy"].append(float(accuracy.result()))
        history["val_loss"].append(float(loss_fn(y_valid, val_logits)))
        history["val_accuracy"].append(float(val_acc.result()))
        print(f"epoch {epoch + 1}/{epochs}", {k: round(v[-1], 4) for k, v in history.items()})
    return history
# %% cell: lr_answer
LR_LOWER = 0.1
LR_OUTPUT = 0.3
# %% cell: choices_answer
CUSTOM_STEP_NEEDED = {"A", "F"}
