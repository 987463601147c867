"""Returns the spectral norm (largest singular value) of the Jacobian instead of its Frobenius norm."""
# loses: state_jacobian_norm
# %% cell: jacobian_solution
def state_jacobian_norm(W_hh, h0, T):
    h = np.asarray(h0, dtype=np.float64)
    jacobian = np.eye(len(h))
    for _ in range(T):
        h = np.tanh(h @ W_hh)
        jacobian = (1 - h ** 2)[:, None] * W_hh.T @ jacobian
    return float(np.linalg.norm(jacobian, 2))
