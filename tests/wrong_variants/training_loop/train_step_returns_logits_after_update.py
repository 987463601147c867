"""Returns the right loss but logits from a second forward pass after the update (the weights have moved)
instead of the logits the loss was computed from."""
# loses: train_step_two_optimizers
# %% cell: train_step_solution
def train_step(model, x, y, loss_fn, opt_lower, opt_output):
    lower_vars, output_vars = split_variables(model)
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    grads = tape.gradient(loss, lower_vars + output_vars)
    opt_lower.apply_gradients(zip(grads[:len(lower_vars)], lower_vars))
    opt_output.apply_gradients(zip(grads[len(lower_vars):], output_vars))
    return loss, model(x, training=True)
