"""Chooses one softmax classifier for a multi-label problem."""
# loses: multilabel_choice
# %% cell: multilabel_answer
ANSWER_MULTILABEL = "a"
