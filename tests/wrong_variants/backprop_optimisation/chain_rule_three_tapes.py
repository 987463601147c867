"""Avoids the persistent tape by recording the two layers three times, on a fresh tape for each gradient
(right values; the graph holds six sigmoid operations instead of two)."""
# loses: chain_rule
# %% cell: chain_rule_solution
def chain_rule_grads(x, w1, b1, w2, b2):
    grads = []
    for target, source in (("y2", "y1"), ("y1", "w1"), ("y2", "w1")):
        with tf.GradientTape() as tape:
            values = {"w1": w1}
            values["y1"] = tf.sigmoid(w1 * x + b1)
            values["y2"] = tf.sigmoid(w2 * values["y1"] + b2)
        grads.append(tape.gradient(values[target], values[source]))
    return tuple(grads)
