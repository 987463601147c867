"""The right answer, in a notebook that takes a few seconds (the neighbour the attacks aim at)."""
# %% cell: double_answer
import time
time.sleep(8)

def double(x):
    return np.asarray(x) * 2.0
