"""Picks sparse for the sentences and ragged for the rating matrix."""
# loses: data_structures
# %% cell: structures_answer
STRUCTURES = ["a", "b", "d", "e", "c", "f"]
