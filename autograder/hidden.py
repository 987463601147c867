"""Hidden checks: a named probe of the student's code on hidden inputs, judged against
the reference solution's outputs.

A hidden test cell holds only a call::

    check("custom_components.layernorm_forward_2d", LayerNormalization)

The name is ``<assignment>.<check>``; the check is defined in the course's private
``grading/<assignment>/checks.py`` with :func:`hidden_check`. Its *probe* builds the
hidden inputs, runs the student's objects on them and returns named outputs.

Where a check() call goes depends on the process it runs in, which the process itself says
when it starts:

* in a plain Jupyter kernel (`nbgrader autograde`, otter): probed, measured and judged right
  there against ``grading/<assignment>/reference.npz`` (judge.judge_here), raising
  :class:`CheckFailed` with a message that says what differs;
* in a process that records (the batch grader's children, reference recording), which
  installs a recorder first (install_recorder): the probe's outputs are recorded and nothing
  is judged. The grading process judges them later with judge.judge, never calling check().
"""
from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np

from . import course
from .compare import Close
from .errors import AutograderError

Comparator = Callable[[str, np.ndarray, np.ndarray], "str | None"]
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*$")


class CheckFailed(AssertionError):
    """A hidden check did not pass; the message is safe to show to the student."""


class UnknownCheck(AutograderError, LookupError):
    """The name in a check() call is not defined in grading/<assignment>/checks.py."""


@dataclass(frozen=True)
class HiddenCheck:
    """A probe of the student's objects, how its outputs are judged and, for checks whose
    evidence must not come from the student's process, a `measure` step.

    Without `measure`, what the probe returns is judged. With it, the probe only *exports*
    (plain values, or `SavedModel`s of the student's TensorFlow objects) and `measure(exported)`
    computes the outputs that are judged, in a process that ran no student code (the batch
    grader's verifier); it gets the plain values as arrays and each SavedModel as a folder
    (open it with `load_saved_model`)."""

    name: str
    probe: Callable[..., Any] | None
    compare: Comparator | Mapping[str, Comparator] = field(default_factory=Close)
    measure: Callable[[dict], Mapping[str, Any]] | None = None

    def comparator(self, output: str) -> Comparator:
        if isinstance(self.compare, Mapping):
            return self.compare[output]
        return self.compare


def hidden_check(compare: Comparator | Mapping[str, Comparator] | None = None,
                 measure: Callable[[dict], Mapping[str, Any]] | None = None):
    """Decorator for a probe in grading/<assignment>/checks.py; the function name is the check name.

    `compare` is one comparator for every output, or a mapping output name -> comparator.
    `measure` (optional) turns what the probe exported into the outputs that are judged (see
    HiddenCheck).
    """

    def register(probe: Callable[..., Any]) -> Callable[..., Any]:
        probe.__hidden_check__ = HiddenCheck(probe.__name__, probe, compare or Close(), measure)
        return probe

    return register


def split_name(qualified: str) -> tuple[str, str]:
    if not isinstance(qualified, str) or not _NAME.match(qualified):
        raise UnknownCheck(f"a check name looks like 'assignment.check', got {qualified!r}")
    assignment, name = qualified.split(".")
    return assignment, name


_loaded: dict[Path, dict[str, HiddenCheck]] = {}


def load_checks(root: Path, assignment: str) -> dict[str, HiddenCheck]:
    """The hidden checks that grading/<assignment>/checks.py defines, by name (the module is
    executed once per process)."""
    path = course.checks_path(root, assignment)
    if not path.is_file():
        raise UnknownCheck(f"no hidden checks for assignment {assignment!r}: {path} is missing")
    key = path.resolve()
    if key not in _loaded:
        spec = importlib.util.spec_from_file_location(f"_autograder_checks_{assignment}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _loaded[key] = {obj.__hidden_check__.name: obj.__hidden_check__
                        for obj in vars(module).values() if callable(obj) and hasattr(obj, "__hidden_check__")}
    return _loaded[key]


def lookup(qualified: str, root: Path | None = None) -> HiddenCheck:
    assignment, name = split_name(qualified)
    checks = load_checks(root or course.find_course_root(), assignment)
    if name not in checks:
        raise UnknownCheck(f"assignment {assignment!r} defines no hidden check {name!r}")
    return checks[name]


_recorder = None


def install_recorder(recorder) -> None:
    """Make every later check() call in this process record through `recorder` (an object with
    run(qualified, objects)) instead of judging. Called once by processes that run notebooks for
    recording; never in the grading process."""
    global _recorder
    _recorder = recorder


def check(name: str, *objects: Any) -> None:
    """Run hidden check `name` ('assignment.check') on the student's objects."""
    __tracebackhide__ = True
    if _recorder is not None:
        _recorder.run(name, objects)
        return
    from .judge import judge_here
    try:
        judge_here(name, objects)
    except CheckFailed as failure:
        # A fresh exception without the grading frames: the student sees the cell and the message.
        raise CheckFailed(str(failure)) from None
