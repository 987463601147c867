"""Asks a non-persistent tape for a second gradient: TensorFlow raises RuntimeError."""
# loses: chain_rule
# %% cell: chain_rule_solution
def chain_rule_grads(x, w1, b1, w2, b2):
    w1 = tf.Variable(w1, dtype=tf.float32)
    x, b1, w2, b2 = (tf.constant(v, dtype=tf.float32) for v in (x, b1, w2, b2))
    with tf.GradientTape() as tape:
        y1 = tf.sigmoid(w1 * x + b1)
        y2 = tf.sigmoid(w2 * y1 + b2)
    dy2_dy1 = tape.gradient(y2, y1)
    dy1_dw1 = tape.gradient(y1, w1)
    dy2_dw1 = tape.gradient(y2, w1)
    return float(dy2_dy1), float(dy1_dw1), float(dy2_dw1)
