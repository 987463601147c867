"""Wrapper that lies: the model is a single Dense layer on the last step (shapes right, no recurrence), and
autograder.hidden.run_probe is wrapped so that the two-layer check reports whatever that model gives, reshaped
to the predictable [batch, units_2]. Stopped by the check: its outputs are the model's values on hidden inputs
with hidden weights, which a shape cannot stand in for (and under the batch grader the record is sealed)."""
# %% cell: two_layer_solution
import autograder.hidden as _hidden

_real_run_probe = _hidden.run_probe


def _lying_run_probe(check, objects, export_dir=None):
    if check.name == "two_layer_rnn":
        return {"outputs": np.zeros((3, 4)), "other_sizes": np.zeros((2, 7))}
    return _real_run_probe(check, objects, export_dir)


_hidden.run_probe = _lying_run_probe


def two_layer_rnn(units_1, units_2):
    return keras.Sequential([keras.layers.Lambda(lambda x: x[:, -1]), keras.layers.Dense(units_1),
                             keras.layers.Dense(units_2)])
