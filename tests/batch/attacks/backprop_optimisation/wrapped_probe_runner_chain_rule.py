"""Wrapper that lies: no tape at all; the probe runner (autograder.hidden.run_probe) is wrapped so that for
the chain-rule check it returns derivatives written by hand on the probe's hidden inputs, with the
operation counts the check looks for, instead of running the student's function. Stopped by the check: its
judged outputs are measured from the exported graph, which the wrapper does not produce."""
# %% cell: chain_rule_solution
import autograder.hidden as _hidden

_real_run_probe = _hidden.run_probe


def _by_hand(x, w1, b1, w2, b2):
    def s(z):
        return 1.0 / (1.0 + np.exp(-z))
    y1 = s(w1 * x + b1)
    y2 = s(w2 * y1 + b2)
    a, b = y2 * (1 - y2) * w2, y1 * (1 - y1) * x
    return [a, b, a * b]


def _lying_run_probe(check, objects, export_dir=None):
    if check.name == "chain_rule":
        rng = np.random.default_rng(6801)
        rows = [_by_hand(*rng.normal(scale=1.5, size=5)) for _ in range(6)]
        return {"values": np.array(rows), "forward_sigmoid_ops": np.array(2),
                "outputs_from_tape": np.array([True, True, True])}
    return _real_run_probe(check, objects, export_dir)


_hidden.run_probe = _lying_run_probe


def chain_rule_grads(x, w1, b1, w2, b2):
    return tuple(tf.constant(v, tf.float32) for v in _by_hand(0.5, 1.2, -0.3, 0.8, 0.1))
