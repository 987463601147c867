import numpy as np
import pytest

from autograder.compare import AtLeast, AtMost, Close, Exact, SameSet

REF = np.array([[0.123456, 7.5], [-3.25, 100.0]], dtype=np.float32)


def test_close_accepts_within_tolerance():
    assert Close(rtol=1e-5, atol=1e-5)("y", REF + 1e-6, REF) is None


def test_close_reports_shape_without_values():
    msg = Close()("y", REF[:1], REF)
    assert msg == "output 'y': shape differs: expected (2, 2), got (1, 2)"


def test_close_reports_dtype():
    msg = Close()("y", REF.astype(np.float64), REF)
    assert "dtype differs: expected float32, got float64" in msg


def test_close_reports_count_error_and_worst_index_but_no_reference_value():
    got = REF.copy()
    got[1, 0] += 2.0
    got[0, 1] += 0.5
    msg = Close(rtol=1e-6, atol=1e-6)("y", got, REF)
    assert "2 of 4 values out of tolerance" in msg
    assert "max abs error 2 at index (1, 0)" in msg
    for value in ("0.123", "7.5", "3.25", "100"):
        assert value not in msg


def test_close_nan_where_reference_is_finite_fails():
    got = REF.copy()
    got[0, 0] = np.nan
    msg = Close()("y", got, REF)
    assert msg and "1 of 4 values" in msg and "inf" in msg


@pytest.mark.parametrize("got, want", [(np.float32(2.0), np.float32(1.0)), (np.array([12.5]), np.array([11.67]))])
def test_close_on_a_single_value_does_not_tell_how_far_off_it_is(got, want):
    """got +- the error would be the reference: a short numeric answer must not leak."""
    msg = Close(rtol=0.01, atol=0)("ratio", got, want)
    assert msg == "output 'ratio': the value is out of tolerance (rtol=0.01, atol=0)"


def test_exact_hides_the_expected_scalar():
    msg = Exact()("count", np.array(4), np.array(5))
    assert msg == "output 'count': value differs from the reference"


def test_exact_strings_and_arrays():
    assert Exact()("dtype", np.array("int64"), np.array("int64")) is None
    msg = Exact()("ids", np.array([1, 2, 3]), np.array([1, 5, 3]))
    assert msg == "output 'ids': 1 of 3 values differ; first at index (1,)"


def test_same_set_ignores_order_case_and_repeats():
    assert SameSet()("choices", np.array(["B", "a", "a"]), np.array(["a", "b"])) is None
    assert SameSet()("choices", np.array(["a"]), np.array(["a", "b"])) == (
        "output 'choices': 0 unexpected and 1 missing items")


@pytest.mark.parametrize("bound, value, ok", [(AtLeast(0.8), 0.81, True), (AtLeast(0.8), 0.79, False),
                                              (AtMost(2), 2, True), (AtMost(2), 3, False)])
def test_bounds(bound, value, ok):
    msg = bound("v", np.array(value), np.array(0.0))
    assert (msg is None) == ok


def test_bound_rejects_non_scalar():
    assert "expected a single number" in AtLeast(1)("v", np.ones(3), np.array(1.0))


@pytest.mark.parametrize("comparator", [Close(rtol=1e-3, atol=0, check_dtype=False), Exact(), SameSet(),
                                        AtLeast(0.72), AtMost(3)])
def test_a_comparator_survives_its_stored_specification(comparator):
    import json
    from autograder.compare import from_spec, to_spec
    assert from_spec(json.loads(json.dumps(to_spec(comparator)))) == comparator


def test_only_this_modules_comparators_can_be_stored():
    from autograder.compare import to_spec
    with pytest.raises(TypeError, match="not a comparator of autograder.compare"):
        to_spec(lambda name, got, want: None)


def test_text_of_another_length_is_judged_by_value_and_the_width_is_not_told():
    from autograder.compare import Exact
    assert Exact()("answer", np.array("b"), np.array("b")) is None
    message = Exact()("answer", np.array("abcdef"), np.array("b"))
    assert message == "output 'answer': value differs from the reference" and "U1" not in message
    assert "expected text, got int64" in Exact()("answer", np.array(3), np.array("b"))
