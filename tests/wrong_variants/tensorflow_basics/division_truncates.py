"""Believes integer `/` truncates (3, int32) and that NumPy does the same."""
# loses: true_division
# %% cell: division_answers
DIV_VALUE = 3.0
DIV_DTYPE = "int32"
NUMPY_DIV_VALUE = 3.0
