"""The textbook sigmoid 1 / (1 + exp(-x)): exp(1000) overflows to inf and 1 / inf is the right 0, so its
values are right everywhere in float64; sigmoid_grad as exp(-|x|) / (1 + exp(-|x|))^2; a leftover debugging
print in sigmoid_grad."""
# loses:
# %% cell: sigmoid_solution
def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


def sigmoid_grad(x):
    print("sigmoid_grad called on", np.shape(x))
    e = np.exp(-np.abs(np.asarray(x, dtype=np.float64)))
    return e / (1.0 + e) ** 2
