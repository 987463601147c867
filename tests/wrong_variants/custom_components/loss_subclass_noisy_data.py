"""Repeats the source notes' wrong answer: a subclass copes with noisy data."""
# loses: loss_subclass_choice
# %% cell: loss_subclass_answer
ANSWER_LOSS_SUBCLASS = "c"
