"""Rounds n / s down instead of up for padding='same'."""
# loses: out_size
# %% cell: out_size_solution
def out_size(n, k, s=1, padding="valid"):
    if padding == "same":
        return n // s
    if k > n:
        return 0
    return (n - k) // s + 1
