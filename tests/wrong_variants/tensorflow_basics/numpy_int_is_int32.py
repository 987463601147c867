"""Answers int32 for tf.constant(np.arange(10)), as the notes do: NumPy's int64 is kept."""
# loses: dtype_names
# %% cell: dtype_answers
DTYPE_RANGE = "int32"
DTYPE_FROM_NUMPY = "int32"
DTYPE_FLOAT_LIST = "float32"
DTYPE_FLOAT_NUMPY = "float64"
