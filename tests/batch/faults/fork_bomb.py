"""Forks until the process limit stops it (bounded to 2,000 attempts), children sleep."""
# reason: the Python process
# %% cell: double_answer
import os, time
for _ in range(2000):
    try:
        if os.fork() == 0:
            time.sleep(600)
            os._exit(0)
    except OSError:
        break
os._exit(0)
