"""Looks up a flat list of ids: right for a sentence, the wrong shape for a batch or a single id."""
# loses: embedding_lookup
# %% cell: embedding_solution
def embedding_lookup(table, ids):
    return tf.gather(table, tf.reshape(ids, [-1]))
