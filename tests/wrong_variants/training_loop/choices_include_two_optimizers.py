"""Believes two optimizers need a custom loop (Keras 3 has MultiOptimizer) and forgets the gradient penalty."""
# loses: custom_loop_choices
# %% cell: choices_answer
CUSTOM_STEP_NEEDED = {"a", "c"}
