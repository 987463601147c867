"""Course policy of the grading service, set in the course's nbgrader_config.py:

    c.FeedbackPolicy.enabled = True                 # grade submissions as they arrive
    c.FeedbackPolicy.before_deadline = "full"       # "total" | "points" | "full"
    c.FeedbackPolicy.max_attempts_per_hour = 5      # graded attempts per student and assignment
    c.FeedbackPolicy.assignments = {                # per-assignment overrides of the three above
        "custom_components": {"max_attempts_per_hour": 3, "before_deadline": "points"},
        "training_loop": {"enabled": False},
    }

The limit is what stops a student from probing the hidden checks by brute force: an attempt
over it is collected (kept for the final grade) but not graded now."""
from __future__ import annotations

from dataclasses import dataclass

from traitlets import Bool, Dict, Enum, Float, Int
from traitlets.config import Configurable

VISIBILITY = ("total", "points", "full")


@dataclass(frozen=True)
class AssignmentPolicy:
    assignment: str
    enabled: bool
    before_deadline: str  # one of VISIBILITY
    max_attempts_per_hour: int  # 0: no limit
    window_seconds: float

    def describe_visibility(self) -> str:
        return {"total": "your total score only",
                "points": "the points of each test cell (not the checks' messages)",
                "full": "the points and message of each test cell"}[self.before_deadline]


class FeedbackPolicy(Configurable):
    """What the hub's grading service does for each assignment before its deadline."""

    enabled = Bool(True, config=True, help="Grade each submission as it arrives and release its feedback.")
    before_deadline = Enum(
        list(VISIBILITY), default_value="full", config=True,
        help="What a student's feedback shows before the deadline: 'total' (the score only), "
             "'points' (each test cell's points, no messages), 'full' (points and each check's message).")
    max_attempts_per_hour = Int(
        5, min=0, config=True,
        help="Graded attempts per student and assignment in any window of `window_seconds` (0: no limit). "
             "An attempt over the limit is kept (collected) and graded when the window allows, or by the "
             "instructor after the deadline.")
    window_seconds = Float(3600.0, min=1.0, config=True, help="The window of the attempt limit.")
    assignments = Dict(
        config=True,
        help="Per-assignment overrides: {assignment: {'enabled': bool, 'before_deadline': str, "
             "'max_attempts_per_hour': int}}.")

    OVERRIDABLE = ("enabled", "before_deadline", "max_attempts_per_hour")

    def for_assignment(self, assignment: str) -> AssignmentPolicy:
        """The policy of one assignment: the defaults with its overrides. A misspelt key or a
        wrong value is an error naming it, not a silently ignored setting."""
        override = self.assignments.get(assignment, {})
        if not isinstance(override, dict):
            raise ValueError(f"FeedbackPolicy.assignments[{assignment!r}] must be a dict, got {override!r}")
        unknown = sorted(set(override) - set(self.OVERRIDABLE))
        if unknown:
            raise ValueError(f"FeedbackPolicy.assignments[{assignment!r}]: unknown setting(s) {unknown}; "
                             f"allowed: {list(self.OVERRIDABLE)}")
        values = {key: override.get(key, getattr(self, key)) for key in self.OVERRIDABLE}
        if values["before_deadline"] not in VISIBILITY:
            raise ValueError(f"FeedbackPolicy.assignments[{assignment!r}]['before_deadline'] = "
                             f"{values['before_deadline']!r}: must be one of {list(VISIBILITY)}")
        limit = values["max_attempts_per_hour"]
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise ValueError(f"FeedbackPolicy.assignments[{assignment!r}]['max_attempts_per_hour'] = "
                             f"{limit!r}: must be an integer >= 0 (0: no limit)")
        return AssignmentPolicy(assignment, bool(values["enabled"]), values["before_deadline"], limit,
                                self.window_seconds)
