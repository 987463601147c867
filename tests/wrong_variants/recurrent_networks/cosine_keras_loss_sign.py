"""Returns Keras's cosine-similarity loss, which is the negative cosine."""
# loses: cosine_similarity
# %% cell: cosine_solution
def cosine_similarity(a, b):
    return keras.losses.cosine_similarity(a, b, axis=-1)
