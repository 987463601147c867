"""Thinks gradient clipping and accumulation need a custom step (optimizer arguments do both)."""
# loses: custom_loop_choices
# %% cell: choices_answer
CUSTOM_STEP_NEEDED = {"a", "d", "e", "f"}
