"""Applies opt_lower to every variable and never uses opt_output."""
# loses: train_step_two_optimizers
# %% cell: train_step_solution
def train_step(model, x, y, loss_fn, opt_lower, opt_output):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = loss_fn(y, logits)
    grads = tape.gradient(loss, model.trainable_variables)
    opt_lower.apply_gradients(zip(grads, model.trainable_variables))
    return loss, logits
