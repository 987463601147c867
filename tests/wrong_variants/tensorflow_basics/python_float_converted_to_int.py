"""Thinks a Python float is converted for an int tensor (misses e: 0.5 cannot become int32)."""
# loses: mixed_dtypes
# %% cell: mixed_answer
RAISES = {"a", "c", "d"}
