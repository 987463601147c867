"""Applies the valid formula even when the kernel is larger than the input (negative sizes)."""
# loses: out_size
# %% cell: out_size_solution
def out_size(n, k, s=1, padding="valid"):
    if padding == "same":
        return -(-n // s)
    return int((n - k) / s) + 1
