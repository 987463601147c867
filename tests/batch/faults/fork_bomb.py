"""Forks sleeping children for one second (at most 300: each fork of a TensorFlow process takes
milliseconds, more on a slow or busy machine, and the cell must end well inside the 4 s limit),
then ends; the children must not outlive the batch."""
# reason: the Python process ended during this cell
# %% cell: double_answer
import ctypes, os, time
libc = ctypes.CDLL(None)
deadline = time.monotonic() + 1.0
for _ in range(300):
    if time.monotonic() > deadline:
        break
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        libc.prctl(15, b"forkbomb-kid", 0, 0, 0)  # PR_SET_NAME: the test finds leftovers by name
        time.sleep(600)
        os._exit(0)
os._exit(0)
