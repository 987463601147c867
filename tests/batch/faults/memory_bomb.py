"""Allocates far more memory than the limit (NumPy's zeroed pages are mapped, not written, so
the limit is reached at once however busy the machine is: no per-cell timeout comes first)."""
# reason: MemoryError
# %% cell: double_answer
hog = []
while True:
    hog.append(np.zeros(2**30, dtype=np.uint8))
