"""Divides the epoch by `every` without rounding down: a smooth exponential decay, not steps."""
# loses: step_decay_schedule
# %% cell: schedule_solution
def step_decay(initial_lr, factor, every):
    def schedule(epoch, lr):
        return initial_lr * factor ** (epoch / every)
    return schedule
