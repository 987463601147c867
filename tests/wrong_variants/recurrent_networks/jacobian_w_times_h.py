"""Runs the recurrence as W_hh h (column vectors) instead of h W_hh."""
# loses: state_jacobian_norm
# %% cell: jacobian_solution
def state_jacobian_norm(W_hh, h0, T):
    W_hh = tf.constant(W_hh, dtype=tf.float64)
    h0 = tf.constant(h0, dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(h0)
        h = h0
        for _ in range(T):
            h = tf.tanh(tf.linalg.matvec(W_hh, h))
    return float(tf.norm(tape.jacobian(h, h0)))
