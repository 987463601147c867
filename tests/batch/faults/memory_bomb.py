"""Allocates far more memory than the limit."""
# reason: MemoryError
# %% cell: double_answer
hog = []
while True:
    hog.append(bytearray(1024 * 1024 * 1024))
