"""Adds 1e-7 to the product of the lengths "against division by zero": wrong for short vectors."""
# loses: cosine_similarity
# %% cell: cosine_solution
def cosine_similarity(a, b):
    dot = tf.reduce_sum(a * b, axis=-1)
    return dot / (tf.norm(a, axis=-1) * tf.norm(b, axis=-1) + 1e-7)
