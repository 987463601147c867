"""Writes the derivatives by hand (sigma' = sigma (1 - sigma), times the inner derivative) instead of asking
a tape: right values, but no gradient of the recorded sigmoids in the graph."""
# loses: chain_rule
# %% cell: chain_rule_solution
def chain_rule_grads(x, w1, b1, w2, b2):
    y1 = tf.sigmoid(w1 * x + b1)
    y2 = tf.sigmoid(w2 * y1 + b2)
    dy2_dy1 = y2 * (1.0 - y2) * w2
    dy1_dw1 = y1 * (1.0 - y1) * x
    return dy2_dy1, dy1_dw1, dy2_dy1 * dy1_dw1
