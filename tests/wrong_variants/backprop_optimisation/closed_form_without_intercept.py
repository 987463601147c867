"""Solves least squares without a column of ones: the line is forced through the origin (b = 0)."""
# loses: linear_regression_closed_form
# %% cell: linear_closed_form_solution
def linear_regression_closed_form(x, y):
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    return float(np.sum(x * y) / np.sum(x * x)), 0.0
