"""Divides by the product of the squared lengths (forgets the square roots)."""
# loses: cosine_similarity
# %% cell: cosine_solution
def cosine_similarity(a, b):
    dot = tf.reduce_sum(a * b, axis=-1)
    return dot / (tf.reduce_sum(a * a, axis=-1) * tf.reduce_sum(b * b, axis=-1))
