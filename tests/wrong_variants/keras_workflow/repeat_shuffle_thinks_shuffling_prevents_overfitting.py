"""Takes the study note's claim that shuffling prevents overfitting for true."""
# loses: repeat_shuffle_choices
# %% cell: repeat_shuffle_answer
REPEAT_SHUFFLE_TRUE = {"a", "b", "d", "e"}
