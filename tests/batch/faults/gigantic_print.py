"""Prints about 200 MB."""
# reason: output truncated
# %% cell: double_answer
line = "x" * 1000
for _ in range(200_000):
    print(line)
def double(x):
    return x * 2
