"""The notes' formula: divides the dot product by its own absolute value, |a.b|, so every pair gives +1 or -1."""
# loses: cosine_similarity
# %% cell: cosine_solution
def cosine_similarity(a, b):
    dot = tf.reduce_sum(a * b, axis=-1)
    return dot / tf.abs(dot)
