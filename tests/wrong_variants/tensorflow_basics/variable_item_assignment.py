"""Thinks a Variable supports item assignment `v[0] = 10` like a NumPy array."""
# loses: immutability
# %% cell: immutability_answer
RUNS = {"b", "c", "d", "f"}
