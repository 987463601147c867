"""Numeric auto-grading for a TensorFlow/Keras course on nbgrader."""
from .compare import AtLeast, AtMost, Close, Exact, SameSet
from .exports import SavedModel, load_saved_model
from .hidden import CheckFailed, check, hidden_check
from .probe import earlier_tasks_as_reference

__all__ = ["check", "hidden_check", "CheckFailed", "Close", "Exact", "SameSet", "AtLeast", "AtMost", "SavedModel", "load_saved_model",
           "earlier_tasks_as_reference"]
