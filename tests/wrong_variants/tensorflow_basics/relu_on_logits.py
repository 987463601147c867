"""Applies ReLU to the output layer too: negative logits become 0."""
# loses: forward_pass
# %% cell: forward_solution
def forward(x, params):
    h = tf.reshape(tf.cast(x, tf.float32), [-1, 784])
    for w, b in params:
        h = tf.nn.relu(h @ w + b)
    return h
