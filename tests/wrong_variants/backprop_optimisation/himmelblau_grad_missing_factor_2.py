"""Differentiates (x^2 + y - 11)^2 as (x^2 + y - 11) * 2x, dropping the outer factor 2 of the square (the basins computed with it change too; the descent check runs with the reference gradient)."""
# loses: himmelblau_gradient, himmelblau_basins
# %% cell: himmelblau_solution
def himmelblau(x, y):
    return (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2


def himmelblau_grad(x, y):
    a = x ** 2 + y - 11
    b = x + y ** 2 - 7
    return 2 * x * a + 2 * b, 2 * a + 2 * y * b
