"""custom_components: the Keras formula question's numbers are true."""
import numpy as np
import pytest

ASSIGNMENT = "custom_components"


def test_layernorm_differs_from_keras_by_the_epsilon_placement(solution):
    keras = pytest.importorskip("keras")
    x = np.random.default_rng(0).normal(size=(64, 32)).astype("float32")
    ours = np.asarray(solution["LayerNormalization"](eps=1e-3)(x))
    theirs = np.asarray(keras.layers.LayerNormalization(epsilon=1e-3)(x))
    gap = np.abs(ours - theirs).max()
    assert 1e-4 < gap < 1e-2, gap
