"""Answers with the minimum nearest to each start instead of running gradient descent."""
# loses: himmelblau_basins
# %% cell: basins_answer
BASINS = [int(np.argmin(np.linalg.norm(MINIMA - s, axis=1))) for s in BASIN_STARTS]
