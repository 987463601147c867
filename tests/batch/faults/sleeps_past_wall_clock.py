"""Blocks in C code where the per-cell alarm cannot interrupt it (wall-clock limit)."""
# reason: ran longer than the
# %% cell: double_answer
import signal, time
signal.signal(signal.SIGALRM, signal.SIG_IGN)
time.sleep(3600)
