"""Wrapper that lies about a measured check: the layer is a fake whose weights are plain objects (enough for
the visible asserts) and the function that runs a check's
probe and measure (autograder.hidden._probe_and_measure) is replaced so that layernorm_weights returns
the predictable weights description without exporting anything. Stopped by the engine (measure= runs
in a clean process on what the probe exported; a forged export must hold variables named alpha and
beta of the right shapes and values, which is what build() does)."""
# %% cell: layernorm_solution
class _FakeWeight:
    """Reports what the visible test reads: a name and a shape."""
    def __init__(self, name, value):
        self.name, self.value_ = name, value
        self.shape, self.dtype, self.trainable = value.shape, "float32", True

    def __array__(self, dtype=None, copy=None):
        return self.value_


class LayerNormalization(keras.layers.Layer):
    def __init__(self, eps=1e-3, **kwargs):
        super().__init__(**kwargs)
        self.eps = eps

    def build(self, input_shape):
        n = input_shape[-1]
        self._fake = [_FakeWeight("alpha", np.ones(n, "float32")), _FakeWeight("beta", np.zeros(n, "float32"))]
        self.alpha, self.beta = self._fake[0].value_, self._fake[1].value_

    @property
    def weights(self):
        return self._fake

    @property
    def trainable_weights(self):
        return self._fake

    @property
    def non_trainable_weights(self):
        return []

    def call(self, x):
        return x


import autograder.hidden as _hidden

_real = _hidden._probe_and_measure


def _forged(spec, objects):
    if spec.name == "layernorm_weights":
        return {"names": np.array(["alpha", "beta"]), "shapes": np.array(["(9,)", "(9,)"]),
                "dtypes": np.array(["float32", "float32"]), "trainable": np.array([True, True]),
                "alpha": np.ones(9, dtype="float32"), "beta": np.zeros(9, dtype="float32"),
                "names_3d": np.array(["alpha", "beta"]), "shapes_3d": np.array(["(5,)", "(5,)"])}
    return _real(spec, objects)


_hidden._probe_and_measure = _forged
