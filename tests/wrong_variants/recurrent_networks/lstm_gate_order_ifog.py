"""Reads the blocks in the order input, forget, output, candidate (Keras's is i, f, candidate, o)."""
# loses: lstm_step
# %% cell: lstm_solution
def lstm_step(x, h_prev, c_prev, kernel, recurrent_kernel, bias):
    z = tf.matmul(x, kernel) + tf.matmul(h_prev, recurrent_kernel) + bias
    z_i, z_f, z_o, z_g = tf.split(z, 4, axis=-1)
    c = tf.sigmoid(z_f) * c_prev + tf.sigmoid(z_i) * tf.tanh(z_g)
    h = tf.sigmoid(z_o) * tf.tanh(c)
    return h, c
