"""Gives log2(10**6) ~ 19.93 as the depth (a depth is a whole number of levels) and forgets the log factor in the time (10x)."""
# loses: tree_depth, tree_training_time
# %% cell: tree_answer
TREE_DEPTH = np.log2(1e6)
TIME_RATIO = 10.0
