"""Keeps what TensorFlow returns: np.float32 from .numpy() and a 0-d float32 tensor (sigma'(0) from the
tape), instead of Python floats."""
# loses:
# %% cell: tape_values_answer
x0 = tf.constant(0.0)
with tf.GradientTape(persistent=True) as tape:
    tape.watch(x0)
    relu, leaky, sig = tf.nn.relu(x0), tf.nn.leaky_relu(x0, alpha=0.2), tf.sigmoid(x0)
TAPE_RELU_AT_0 = tape.gradient(relu, x0).numpy()
TAPE_LEAKY_AT_0 = tape.gradient(leaky, x0).numpy()
SIGMOID_GRAD_MAX = tape.gradient(sig, x0)   # the maximum is at x = 0
print(type(TAPE_RELU_AT_0), SIGMOID_GRAD_MAX)
