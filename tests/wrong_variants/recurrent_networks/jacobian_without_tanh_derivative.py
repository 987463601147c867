"""Multiplies only the weight matrices, as if tanh' were always 1 (right only from h0 = 0)."""
# loses: state_jacobian_norm
# %% cell: jacobian_solution
def state_jacobian_norm(W_hh, h0, T):
    return float(np.linalg.norm(np.linalg.matrix_power(np.asarray(W_hh).T, T)))
