"""Thinks tf.print also runs only while tracing."""
# loses: tf_print_lines
# %% cell: print_answers
ANSWER_PRINT_LINES = 7
ANSWER_TF_PRINT_LINES = 7
