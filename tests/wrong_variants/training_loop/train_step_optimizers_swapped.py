"""Gives the lower layers to opt_output and the output layer to opt_lower."""
# loses: train_step_two_optimizers
# %% cell: train_step_solution
def train_step(model, x, y, loss_fn, opt_lower, opt_output):
    lower_vars, output_vars = split_variables(model)
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = loss_fn(y, logits)
    grads = tape.gradient(loss, lower_vars + output_vars)
    opt_output.apply_gradients(zip(grads[:len(lower_vars)], lower_vars))
    opt_lower.apply_gradients(zip(grads[len(lower_vars):], output_vars))
    return loss, logits
