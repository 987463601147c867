"""Takes the table as [n, V] (one column per word) and looks up rows of its transpose."""
# loses: embedding_lookup
# %% cell: embedding_solution
def embedding_lookup(table, ids):
    return tf.gather(tf.transpose(table), ids, axis=1)
