"""Numeric comparison of a submission's outputs with the reference outputs.

A comparator looks at one named output: the student's value and the reference's,
both plain NumPy arrays. It returns a message describing what differs, or None when
the output is acceptable. Messages name shapes, dtypes, error sizes and positions, but
never a reference value or a hidden input: they are shown to students.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


def _fmt(x: float) -> str:
    return f"{x:.3g}"


def _shape(a: np.ndarray) -> str:
    return str(tuple(a.shape))


def _dtype(a: np.ndarray) -> str:
    """A dtype as a student reads it: text is text whatever its width (the width of the
    reference's strings would give the answer's length away)."""
    return "text" if a.dtype.kind in "US" else str(a.dtype)


def _structure(name: str, got: np.ndarray, want: np.ndarray, check_dtype: bool) -> str | None:
    if got.shape != want.shape:
        return f"output '{name}': shape differs: expected {_shape(want)}, got {_shape(got)}"
    if check_dtype and _dtype(got) != _dtype(want):
        return f"output '{name}': dtype differs: expected {_dtype(want)}, got {_dtype(got)}"
    return None


@dataclass(frozen=True)
class Close:
    """Same shape and dtype; values equal within |got - want| <= atol + rtol * |want|."""

    rtol: float = 1e-6
    atol: float = 1e-6
    check_dtype: bool = True

    def __call__(self, name: str, got: np.ndarray, want: np.ndarray) -> str | None:
        problem = _structure(name, got, want, self.check_dtype)
        if problem:
            return problem
        if want.dtype.kind not in "biuf" or got.dtype.kind not in "biuf":
            return Exact()(name, got, want)
        g = got.astype(np.float64)
        w = want.astype(np.float64)
        if g.size == 0:
            return None
        nan_mismatch = np.isnan(g) != np.isnan(w)
        with np.errstate(invalid="ignore", over="ignore"):
            err = np.abs(g - w)
            bad = ~np.isclose(g, w, rtol=self.rtol, atol=self.atol, equal_nan=True) | nan_mismatch
        if not bad.any():
            return None
        if g.size == 1:  # the size of the error would give the answer away
            return f"output '{name}': the value is out of tolerance (rtol={self.rtol:g}, atol={self.atol:g})"
        err = np.where(np.isnan(err), np.inf, err)
        worst = np.unravel_index(int(np.argmax(np.where(bad, err, -1.0))), g.shape)
        where = f" at index {tuple(int(i) for i in worst)}" if g.ndim else ""
        return (
            f"output '{name}': {int(bad.sum())} of {g.size} values out of tolerance "
            f"(rtol={self.rtol:g}, atol={self.atol:g}); max abs error {_fmt(float(err[worst]))}{where}"
        )


@dataclass(frozen=True)
class Exact:
    """Same shape and dtype, and every element equal (ints, bools, strings)."""

    check_dtype: bool = True

    def __call__(self, name: str, got: np.ndarray, want: np.ndarray) -> str | None:
        problem = _structure(name, got, want, self.check_dtype)
        if problem:
            return problem
        if got.dtype.kind != want.dtype.kind and not (got.dtype.kind in "biu" and want.dtype.kind in "biu"):
            return f"output '{name}': kind of value differs: expected {_dtype(want)}, got {_dtype(got)}"
        equal = got == want
        if np.all(equal):
            return None
        if got.ndim == 0:
            return f"output '{name}': value differs from the reference"
        worst = np.argwhere(~np.asarray(equal))[0]
        return (
            f"output '{name}': {int((~np.asarray(equal)).sum())} of {got.size} values differ; "
            f"first at index {tuple(int(i) for i in worst)}"
        )


@dataclass(frozen=True)
class SameSet:
    """A 1-D collection compared as a set (order and repeats ignored): choices, names."""

    def __call__(self, name: str, got: np.ndarray, want: np.ndarray) -> str | None:
        got_set = {str(v).strip().lower() for v in np.ravel(got)}
        want_set = {str(v).strip().lower() for v in np.ravel(want)}
        if got_set == want_set:
            return None
        return (
            f"output '{name}': {len(got_set - want_set)} unexpected and "
            f"{len(want_set - got_set)} missing items"
        )


@dataclass(frozen=True)
class _Bound:
    threshold: float
    at_least: bool

    def __call__(self, name: str, got: np.ndarray, want: np.ndarray) -> str | None:
        if got.size != 1 or got.dtype.kind not in "biuf":
            return f"output '{name}': expected a single number, got shape {_shape(got)} of {got.dtype}"
        value = float(got.reshape(()))
        ok = value >= self.threshold if self.at_least else value <= self.threshold
        if ok:
            return None
        side = "below the required minimum" if self.at_least else "above the allowed maximum"
        return f"output '{name}' is {_fmt(value)}, {side} {_fmt(self.threshold)}"


def AtLeast(threshold: float) -> _Bound:
    """A single number no smaller than a pass mark (the reference is not used)."""
    return _Bound(threshold, True)


def AtMost(threshold: float) -> _Bound:
    """A single number no larger than a limit (the reference is not used)."""
    return _Bound(threshold, False)


_KINDS = {"Close": Close, "Exact": Exact, "SameSet": SameSet, "Bound": _Bound}


def to_spec(comparator) -> dict:
    """Plain data describing one of this module's comparators, stored with the references so
    that a grader judges without importing the checks module (and TensorFlow)."""
    kind = type(comparator).__name__.lstrip("_")
    if _KINDS.get(kind) is not type(comparator):
        raise TypeError(f"{comparator!r} is not a comparator of autograder.compare "
                        f"(Close, Exact, SameSet, AtLeast, AtMost)")
    return {"kind": kind, **asdict(comparator)}


def from_spec(spec: dict):
    fields = dict(spec)
    return _KINDS[fields.pop("kind")](**fields)
