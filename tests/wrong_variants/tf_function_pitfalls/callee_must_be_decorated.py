"""Believes the note: helpers called from a tf.function need their own decorator."""
# loses: callee_decoration
# %% cell: callee_answer
ANSWER_CALLEE = "a"
