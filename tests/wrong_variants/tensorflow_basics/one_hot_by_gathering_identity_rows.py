"""Builds the one-hot rows by gathering rows of an identity matrix: a label -1 raises."""
# loses: one_hot_labels
# %% cell: one_hot_solution
def one_hot_labels(labels, depth):
    return tf.gather(tf.eye(depth), labels)
