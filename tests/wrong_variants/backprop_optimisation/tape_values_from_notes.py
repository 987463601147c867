"""Answers from a textbook table ("derivative 1 for x >= 0") instead of running the tape."""
# loses: tape_values
# %% cell: tape_values_answer
TAPE_RELU_AT_0 = 1.0
TAPE_LEAKY_AT_0 = 1.0
SIGMOID_GRAD_MAX = 0.25
