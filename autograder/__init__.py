"""Numeric auto-grading for a TensorFlow/Keras course on nbgrader."""
from .hidden import CheckFailed, check, hidden_check
from .compare import AtLeast, AtMost, Close, Exact, SameSet

__all__ = ["check", "hidden_check", "CheckFailed", "Close", "Exact", "SameSet", "AtLeast", "AtMost"]
