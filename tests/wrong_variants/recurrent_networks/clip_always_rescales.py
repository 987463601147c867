"""Rescales to length clip_norm even when the gradients are shorter (it lengthens them)."""
# loses: clip_global_norm
# %% cell: clip_solution
def clip_by_global_norm(tensors, clip_norm):
    global_norm = tf.sqrt(tf.add_n([tf.reduce_sum(tf.square(t)) for t in tensors]))
    return [t * clip_norm / global_norm for t in tensors], global_norm
