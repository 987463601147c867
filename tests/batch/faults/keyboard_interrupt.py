"""Raises KeyboardInterrupt, as if someone pressed Ctrl-C."""
# reason: KeyboardInterrupt
# %% cell: double_answer
raise KeyboardInterrupt
