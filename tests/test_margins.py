"""Error ratios in units of the tolerance, and when a margin holds."""
import math

import numpy as np

from autograder.compare import Close, Exact
from autograder.hidden import HiddenCheck
from autograder.margins import Margin, check_ratio, error_ratio
from autograder.probe import ERROR_KEY


def test_ratios_count_tolerances():
    close = Close(rtol=0.0, atol=1e-3)
    want = np.array([1.0, 2.0, 3.0])
    assert error_ratio(close, want.copy(), want) == 0
    assert math.isclose(error_ratio(close, want + [0, 5e-4, 0], want), 0.5)
    assert math.isclose(error_ratio(close, want + [0, 0, 2e-2], want), 20)
    assert error_ratio(close, want[:2], want) == math.inf
    assert error_ratio(close, want.astype("float32"), want) == math.inf  # dtype is part of the answer
    assert error_ratio(close, np.array([np.nan, 2, 3]), want) == math.inf


def test_other_comparators_are_all_or_nothing():
    assert error_ratio(Exact(), np.array([1, 2]), np.array([1, 2])) == 0
    assert error_ratio(Exact(), np.array([1, 3]), np.array([1, 2])) == math.inf


def test_a_check_counts_its_worst_output_and_a_raise_is_infinitely_wrong():
    check = HiddenCheck("c", None, {"a": Close(0, 1), "n": Exact()})
    want = {"a": np.array([0.0]), "n": np.array(3)}
    assert check_ratio(check, {"a": np.array([0.5]), "n": np.array(3)}, want) == 0.5
    assert check_ratio(check, {ERROR_KEY: np.array("boom")}, want) == math.inf
    assert check_ratio(check, None, want) == math.inf


def test_a_margin_holds_with_honest_within_one_and_wrong_beyond_ten():
    assert Margin("c", "", honest_max=1.0, wrong_min=10.0).ok
    assert not Margin("c", "", honest_max=1.01, wrong_min=100.0).ok
    assert not Margin("c", "", honest_max=0.1, wrong_min=9.9).ok
