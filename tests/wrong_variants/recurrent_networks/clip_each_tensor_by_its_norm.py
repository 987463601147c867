"""Clips every tensor by its own norm (tf.clip_by_norm): the update changes direction."""
# loses: clip_global_norm
# %% cell: clip_solution
def clip_by_global_norm(tensors, clip_norm):
    global_norm = tf.sqrt(tf.add_n([tf.reduce_sum(tf.square(t)) for t in tensors]))
    return [tf.clip_by_norm(t, clip_norm) for t in tensors], global_norm
