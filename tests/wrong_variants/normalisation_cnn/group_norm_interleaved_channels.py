"""Groups channels g, g + G, g + 2G... (reshape to [..., c // G, G]) instead of consecutive channels."""
# loses: group_norm_output
# %% cell: group_norm_solution
def group_norm(x, groups, gamma, beta, epsilon=1e-3):
    x = np.asarray(x, dtype=np.float64)
    b, h, w, c = x.shape
    grouped = x.reshape(b, h, w, c // groups, groups)
    mean = grouped.mean(axis=(1, 2, 3), keepdims=True)
    variance = grouped.var(axis=(1, 2, 3), keepdims=True)
    normalised = ((grouped - mean) / np.sqrt(variance + epsilon)).reshape(b, h, w, c)
    return gamma * normalised + beta
