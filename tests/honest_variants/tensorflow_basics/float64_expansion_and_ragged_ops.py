"""pairwise distances by the expansion |a|^2 + |b|^2 - 2 a.b computed in float64 (accepted by the
prompt) and cast to float32; ragged_summary with tf.ragged.map_flat_values, row_lengths as int32
and the mean as sum / max(length, 1); a leftover Python print (runs once, while tracing)."""
# loses:
# %% cell: pairwise_solution
def pairwise_distances(a, b):
    a = tf.cast(a, tf.float64)
    b = tf.cast(b, tf.float64)
    squared = (tf.reduce_sum(tf.square(a), axis=1, keepdims=True) + tf.transpose(tf.reduce_sum(tf.square(b), axis=1, keepdims=True))
               - 2.0 * tf.matmul(a, b, transpose_b=True))
    return tf.cast(tf.sqrt(tf.maximum(squared, 0.0)), tf.float32)
# %% cell: ragged_solution
def ragged_summary(rows, pad_value=0.0):
    print("ragged_summary called with", rows)
    values = tf.ragged.map_flat_values(tf.cast, rows, tf.float32)
    lengths = tf.cast(values.row_lengths(), tf.int32)
    totals = tf.reduce_sum(values, axis=1)
    means = totals / tf.cast(tf.maximum(lengths, 1), tf.float32)
    return lengths, means, values.to_tensor(default_value=tf.cast(pad_value, tf.float32))
