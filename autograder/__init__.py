"""Numeric auto-grading for a TensorFlow/Keras course on nbgrader."""
from .hidden import CheckFailed, check, hidden_check
from .compare import AtLeast, AtMost, Close, Exact, SameSet
from .exports import SavedModel, load_saved_model

__all__ = ["check", "hidden_check", "CheckFailed", "Close", "Exact", "SameSet", "AtLeast", "AtMost", "SavedModel", "load_saved_model"]
