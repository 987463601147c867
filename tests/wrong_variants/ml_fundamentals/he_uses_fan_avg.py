"""Uses fan_avg for He initialisation (2 / fan_avg) as for Glorot, instead of 2 / fan_in."""
# loses: init_variance, init_limit
# %% cell: init_solution
def init_variance(scheme, fan_in, fan_out):
    fan_avg = (fan_in + fan_out) / 2
    if scheme == "glorot":
        return 1.0 / fan_avg
    if scheme == "he":
        return 2.0 / fan_avg
    if scheme == "lecun":
        return 1.0 / fan_in
    raise ValueError(scheme)


def uniform_limit(scheme, fan_in, fan_out):
    return float(np.sqrt(3.0 * init_variance(scheme, fan_in, fan_out)))
