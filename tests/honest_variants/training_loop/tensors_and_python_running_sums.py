"""prepare returns TensorFlow tensors (tf.cast, then division); fit keeps its epoch statistics in Python
running sums (loss times batch size, correct predictions, images seen) instead of Keras metrics, and the
validation figures with NumPy; steps per epoch with math.ceil."""
# loses:
# %% cell: prepare_solution
def prepare(images, labels):
    x = tf.cast(images, tf.float32) / 255.0
    y = tf.cast(labels, tf.int32)
    return x, y
# %% cell: fit_solution
def fit(model, train_data, valid_data, epochs, batch_size, opt_lower, opt_output):
    x, y = train_data
    x_valid, y_valid = valid_data
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
    for epoch in range(epochs):
        loss_sum, correct, seen = 0.0, 0, 0
        for start in range(0, len(x), batch_size):
            x_batch, y_batch = x[start:start + batch_size], y[start:start + batch_size]
            loss, logits = train_step(model, x_batch, y_batch, loss_fn, opt_lower, opt_output)
            n = len(y_batch)
            loss_sum += float(loss) * n
            correct += int(np.sum(np.argmax(np.asarray(logits), axis=-1) == np.asarray(y_batch)))
            seen += n
        val_logits = np.asarray(model(x_valid, training=False))
        history["loss"].append(loss_sum / seen)
        history["accuracy"].append(correct / seen)
        history["val_loss"].append(float(loss_fn(y_valid, val_logits)))
        history["val_accuracy"].append(float(np.mean(np.argmax(val_logits, axis=-1) == np.asarray(y_valid))))
        print("epoch %d/%d - loss %.4f - accuracy %.4f - val_loss %.4f - val_accuracy %.4f"
              % (epoch + 1, epochs, history["loss"][-1], history["accuracy"][-1],
                 history["val_loss"][-1], history["val_accuracy"][-1]))
    return history
# %% cell: steps_answer
import math

STEPS_PER_EPOCH = math.ceil(5000 / 128)
LAST_BATCH_SIZE = 5000 - (STEPS_PER_EPOCH - 1) * 128
