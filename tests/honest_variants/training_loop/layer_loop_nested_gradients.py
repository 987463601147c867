"""split_variables collects the variables layer by layer (layer.trainable_weights) instead of filtering
model.trainable_variables; train_step asks the tape for a nested structure of gradients (a dict of two
lists) in its single gradient call and applies them with optimizer.apply; fit's metrics updated with
sample_weight given as a float32 tensor, with a leftover debugging print per batch count."""
# loses:
# %% cell: split_solution
def split_variables(model):
    *lower_layers, output_layer = model.layers
    lower_vars = [v for layer in lower_layers for v in layer.trainable_weights]
    output_vars = [v for v in output_layer.trainable_weights]
    return lower_vars, output_vars
# %% cell: train_step_solution
def train_step(model, x, y, loss_fn, opt_lower, opt_output):
    lower_vars, output_vars = split_variables(model)
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = loss_fn(y, logits)
    grads = tape.gradient(loss, {"lower": lower_vars, "output": output_vars})
    opt_lower.apply(grads["lower"], lower_vars)
    opt_output.apply(grads["output"], output_vars)
    return loss, logits
# %% cell: fit_solution
def fit(model, train_data, valid_data, epochs, batch_size, opt_lower, opt_output):
    (x, y), (x_valid, y_valid) = train_data, valid_data
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    mean_loss, accuracy = keras.metrics.Mean(), keras.metrics.SparseCategoricalAccuracy()
    val_accuracy = keras.metrics.SparseCategoricalAccuracy()
    history = {key: [] for key in ("loss", "accuracy", "val_loss", "val_accuracy")}
    for epoch in range(1, epochs + 1):
        mean_loss.reset_state()
        accuracy.reset_state()
        val_accuracy.reset_state()
        batches = 0
        for start in range(0, len(x), batch_size):
            stop = min(start + batch_size, len(x))
            loss, logits = train_step(model, x[start:stop], y[start:stop], loss_fn, opt_lower, opt_output)
            mean_loss.update_state(loss, sample_weight=tf.constant(stop - start, tf.float32))
            accuracy.update_state(y[start:stop], logits)
            batches += 1
        print("batches this epoch:", batches)
        val_logits = model(x_valid, training=False)
        val_accuracy.update_state(y_valid, val_logits)
        for key, value in (("loss", mean_loss.result()), ("accuracy", accuracy.result()),
                           ("val_loss", loss_fn(y_valid, val_logits)), ("val_accuracy", val_accuracy.result())):
            history[key].append(float(value))
        print(f"epoch {epoch}/{epochs} - " + " - ".join(f"{k} {v[-1]:.4f}" for k, v in history.items()))
    return history
