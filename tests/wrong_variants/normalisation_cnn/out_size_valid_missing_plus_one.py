"""Forgets the + 1 of the first window for padding='valid'."""
# loses: out_size
# %% cell: out_size_solution
def out_size(n, k, s=1, padding="valid"):
    if padding == "same":
        return -(-n // s)
    return max(0, (n - k) // s)
