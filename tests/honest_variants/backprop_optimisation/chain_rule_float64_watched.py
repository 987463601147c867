"""Computes the layers in float64 (tf.cast) with w1 watched explicitly, and returns float64 tensors."""
# loses:
# %% cell: chain_rule_solution
def chain_rule_grads(x, w1, b1, w2, b2):
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(w1)
        w = tf.cast(w1, tf.float64)
        y1 = tf.math.sigmoid(w * tf.cast(x, tf.float64) + tf.cast(b1, tf.float64))
        y2 = tf.math.sigmoid(tf.cast(w2, tf.float64) * y1 + tf.cast(b2, tf.float64))
    grads = (tape.gradient(y2, y1), tf.cast(tape.gradient(y1, w1), tf.float64), tf.cast(tape.gradient(y2, w1), tf.float64))
    del tape
    return grads
