"""Ends the process from inside the answer cell."""
# reason: the Python process exited early (exit status 3)
# %% cell: double_answer
import os
os._exit(3)
