"""Asks a non-persistent tape for a second gradient: TensorFlow raises RuntimeError."""
# loses: chain_rule
# %% cell: chain_rule_solution
def chain_rule_grads(x, w1, b1, w2, b2):
    with tf.GradientTape() as tape:
        y1 = tf.sigmoid(w1 * x + b1)
        y2 = tf.sigmoid(w2 * y1 + b2)
    dy2_dy1 = tape.gradient(y2, y1)
    dy1_dw1 = tape.gradient(y1, w1)
    dy2_dw1 = tape.gradient(y2, w1)
    return dy2_dy1, dy1_dw1, dy2_dw1
