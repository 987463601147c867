"""keras.ops.sigmoid instead of tf.sigmoid, two of the gradients asked in one call with a list of sources,
tensors converted with tf.convert_to_tensor, and a leftover print (it runs once, while tracing)."""
# loses:
# %% cell: chain_rule_solution
import keras


def chain_rule_grads(x, w1, b1, w2, b2):
    x, b1, w2, b2 = (tf.convert_to_tensor(v, dtype=tf.float32) for v in (x, b1, w2, b2))
    with tf.GradientTape(persistent=True) as tape:
        y1 = keras.ops.sigmoid(w1 * x + b1)
        y2 = keras.ops.sigmoid(w2 * y1 + b2)
    dy2_dy1, dy2_dw1 = tape.gradient(y2, [y1, w1])
    dy1_dw1 = tape.gradient(y1, w1)
    print("tape gradients:", dy2_dy1, dy1_dw1, dy2_dw1)
    del tape
    return dy2_dy1, dy1_dw1, dy2_dw1
