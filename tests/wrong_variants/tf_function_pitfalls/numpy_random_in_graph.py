"""Draws the noise with NumPy: it is drawn once while tracing and frozen into the graph."""
# loses: jitter_fresh_noise
# %% cell: jitter_solution
@tf.function
def add_jitter(x):
    noise = np.random.uniform(-0.1, 0.1, size=x.shape).astype("float32")
    return x + noise
