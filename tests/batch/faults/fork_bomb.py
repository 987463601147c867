"""Forks 300 sleeping children (bounded), then ends; the children must not outlive the batch."""
# reason: the Python process ended during this cell
# %% cell: double_answer
import ctypes, os, time
libc = ctypes.CDLL(None)
for _ in range(300):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        libc.prctl(15, b"forkbomb-kid", 0, 0, 0)  # PR_SET_NAME: the test finds leftovers by name
        time.sleep(600)
        os._exit(0)
os._exit(0)
