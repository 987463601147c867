"""Measures the difference correctly but picks formula a (the course's own) for Keras."""
# loses: keras_difference
# %% cell: keras_difference_answer
KERAS_FORMULA = "a"
_mine = LayerNormalization(eps=1e-3)(x_demo)
_keras = keras.layers.LayerNormalization(epsilon=1e-3)(x_demo)
KERAS_MAX_DIFF = float(np.max(np.abs(np.asarray(_mine) - np.asarray(_keras))))
