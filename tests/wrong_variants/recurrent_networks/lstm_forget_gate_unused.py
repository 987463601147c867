"""Keeps the whole previous cell state (c = c_prev + i * g): the forget gate is ignored."""
# loses: lstm_step
# %% cell: lstm_solution
def lstm_step(x, h_prev, c_prev, kernel, recurrent_kernel, bias):
    z = tf.matmul(x, kernel) + tf.matmul(h_prev, recurrent_kernel) + bias
    z_i, z_f, z_g, z_o = tf.split(z, 4, axis=-1)
    c = c_prev + tf.sigmoid(z_i) * tf.tanh(z_g)
    h = tf.sigmoid(z_o) * tf.tanh(c)
    return h, c
