"""nbgrader preprocessors of this course, one transformation per module."""
from .strip_benign_stderr import StripBenignStderr

__all__ = ["StripBenignStderr"]
