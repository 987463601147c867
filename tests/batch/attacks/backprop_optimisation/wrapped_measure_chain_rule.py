"""Wrapper that lies, one level up: autograder.hidden._probe_and_measure (probe and measurement together,
today in the student's process) is wrapped to return hand-written derivatives and the expected operation
counts for the chain-rule check. Stopped by the engine: measure runs in a clean process."""
# %% cell: chain_rule_solution
import autograder.hidden as _hidden

_real_probe_and_measure = _hidden._probe_and_measure


def _by_hand(x, w1, b1, w2, b2):
    def s(z):
        return 1.0 / (1.0 + np.exp(-z))
    y1 = s(np.float32(w1) * np.float32(x) + np.float32(b1))
    y2 = s(np.float32(w2) * y1 + np.float32(b2))
    a, b = y2 * (1 - y2) * np.float32(w2), y1 * (1 - y1) * np.float32(x)
    return [float(a), float(b), float(a * b)]


def _lying_probe_and_measure(spec, objects):
    if spec.name == "chain_rule":
        rng = np.random.default_rng(6801)
        rows = [_by_hand(*rng.normal(scale=1.5, size=5)) for _ in range(6)]
        return {"values": np.array(rows), "forward_sigmoid_ops": np.array(2, dtype=np.int64),
                "outputs_from_tape": np.array([True, True, True])}
    return _real_probe_and_measure(spec, objects)


_hidden._probe_and_measure = _lying_probe_and_measure


def chain_rule_grads(x, w1, b1, w2, b2):   # by hand, enough for the visible test
    y1 = tf.sigmoid(w1 * x + b1)
    y2 = tf.sigmoid(w2 * y1 + b2)
    a, b = y2 * (1 - y2) * w2, y1 * (1 - y1) * x
    return a, b, a * b
