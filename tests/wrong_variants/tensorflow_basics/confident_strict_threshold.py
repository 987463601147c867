"""Keeps rows whose maximum is strictly above the threshold: a row exactly at it is dropped."""
# loses: select_confident
# %% cell: confident_solution
def select_confident(probs, threshold):
    keep = tf.reduce_max(probs, axis=1) > threshold
    rows = tf.boolean_mask(probs, keep)
    indices = tf.where(keep)[:, 0]
    return rows, indices
