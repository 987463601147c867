"""Takes the norm of the orthogonal matrix to be 1 (it is sqrt(8) in the Frobenius norm)."""
# loses: orthogonal_norms
# %% cell: orthogonal_norms_answer
NORM_RHO_0_9 = 0.9 ** 50
NORM_RHO_1_1 = 1.1 ** 50
