"""Fake graph: derivatives written by hand in TensorFlow ops (no tape), traced into the exported graph
together with a dummy SigmoidGrad operation so that the graph holds the operation a tape would add.
Stopped by the check: it asks whether each returned value is computed from a SigmoidGrad, not whether one
exists."""
# %% cell: chain_rule_solution
def chain_rule_grads(x, w1, b1, w2, b2):
    y1 = tf.sigmoid(w1 * x + b1)
    y2 = tf.sigmoid(w2 * y1 + b2)
    _decoy = tf.raw_ops.SigmoidGrad(y=y2, dy=y1)
    dy2_dy1 = y2 * (1.0 - y2) * w2
    dy1_dw1 = y1 * (1.0 - y1) * x
    return dy2_dy1, dy1_dw1, dy2_dy1 * dy1_dw1
