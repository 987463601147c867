"""Believes a function without source silently runs eagerly like tf.py_function."""
# loses: source_unavailable
# %% cell: source_answer
ANSWER_NO_SOURCE = "d"
