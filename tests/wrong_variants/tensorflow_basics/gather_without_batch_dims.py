"""tf.gather(logits, labels, axis=1) picks every label's column for every row: an (n, n) matrix."""
# loses: true_class_scores
# %% cell: gather_solution
def true_class_scores(logits, labels):
    return tf.gather(logits, labels, axis=1)
