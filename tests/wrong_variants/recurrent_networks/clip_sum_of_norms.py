"""Takes the sum of the tensors' norms as the global norm (instead of the root of the sum of squares)."""
# loses: clip_global_norm
# %% cell: clip_solution
def clip_by_global_norm(tensors, clip_norm):
    global_norm = tf.add_n([tf.norm(t) for t in tensors])
    scale = clip_norm / tf.maximum(global_norm, clip_norm)
    return [t * scale for t in tensors], global_norm
