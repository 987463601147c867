"""Thinks Python print runs at every call, like tf.print."""
# loses: print_lines
# %% cell: print_answers
ANSWER_PRINT_LINES = 11
ANSWER_TF_PRINT_LINES = 11
