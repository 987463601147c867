"""Axes as lists and sets with negative indices; group normalisation with a loop over the groups and a
one-pass float32 variance; output sizes with math.ceil and float division; the LeNet-5 counts computed from
the layer shapes with NumPy integers."""
# loses:
# %% cell: norm_axes_answer
BN_AXES = [0, -3, -2]
LN_AXES = {-1, -2, -3}
IN_AXES = (-3, -2)
KERAS_LN_DEFAULT_AXES = [-1]
# %% cell: group_norm_solution
def group_norm(x, groups, gamma, beta, epsilon=1e-3):
    x = np.asarray(x)
    out = np.empty_like(x)
    size = x.shape[-1] // groups
    for g in range(groups):
        part = x[..., g * size:(g + 1) * size]
        mean = part.mean(axis=(1, 2, 3), keepdims=True)
        variance = (part ** 2).mean(axis=(1, 2, 3), keepdims=True) - mean ** 2
        out[..., g * size:(g + 1) * size] = (part - mean) / np.sqrt(variance + epsilon)
    return out * gamma + beta
# %% cell: out_size_solution
import math


def out_size(n, k, s=1, padding="valid"):
    if padding == "same":
        return math.ceil(n / s)
    return max(0, math.floor((n - k) / s) + 1)
# %% cell: lenet5_answer
_sizes = [28]
for _ in range(2):
    _sizes.append((_sizes[-1] - 3 + 1) // 2)
_flat = np.int64(_sizes[-1] ** 2 * 16)
LENET5_LAYER_PARAMS = [np.int64(3 * 3 * 1 * 6 + 6), np.int64(3 * 3 * 6 * 16 + 16), _flat * 120 + 120,
                       np.int64(120 * 84 + 84), np.int64(84 * 10 + 10)]
LENET5_TOTAL_PARAMS = np.sum(LENET5_LAYER_PARAMS)
