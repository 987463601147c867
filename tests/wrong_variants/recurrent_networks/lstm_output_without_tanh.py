"""Outputs o * c instead of o * tanh(c)."""
# loses: lstm_step
# %% cell: lstm_solution
def lstm_step(x, h_prev, c_prev, kernel, recurrent_kernel, bias):
    z = tf.matmul(x, kernel) + tf.matmul(h_prev, recurrent_kernel) + bias
    z_i, z_f, z_g, z_o = tf.split(z, 4, axis=-1)
    c = tf.sigmoid(z_f) * c_prev + tf.sigmoid(z_i) * tf.tanh(z_g)
    h = tf.sigmoid(z_o) * c
    return h, c
