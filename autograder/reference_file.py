"""grading/<assignment>/reference.npz: what the reference solution's probes returned, how each
output is compared, which checks are measured, and how long the solution took to record.

One home for the file's layout: keys "<check>|<output>" hold reference outputs,
"__check__|<check>" a JSON description of the check (its comparators, whether it is
measured, how long its probe took on the solution), "__cost__|solution_seconds" the recording time. references.py writes it, the
judges read it; it is written on the grading machine and never leaves it.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import course
from .compare import from_spec, to_spec
from .errors import AutograderError
from .hidden import HiddenCheck

_CHECK = "__check__"
_COST = "__cost__"


class ReferenceMissing(AutograderError, FileNotFoundError):
    """The reference outputs have not been generated (run `python -m autograder generate`)."""


@dataclass
class References:
    outputs: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)  # check -> output -> array
    checks: dict[str, HiddenCheck] = field(default_factory=dict)  # comparators, no probes
    measured: set[str] = field(default_factory=set)
    solution_seconds: float | None = None
    check_seconds: dict[str, float] = field(default_factory=dict)  # each probe's run time on the solution

    def reference(self, check: str) -> dict[str, np.ndarray]:
        if check not in self.outputs:
            raise ReferenceMissing(f"the reference outputs have nothing for check {check!r}: regenerate them")
        return self.outputs[check]


def read(root: Path, assignment: str) -> References:
    path = course.reference_path(root, assignment)
    if not path.is_file():
        raise ReferenceMissing(f"reference outputs for {assignment!r} are missing ({path}); "
                               f"run `python -m autograder generate {assignment}`")
    refs = References()
    with np.load(path, allow_pickle=False) as data:
        for key in data.files:
            group, _, rest = key.partition("|")
            if group == _CHECK:
                spec = json.loads(str(data[key]))
                refs.checks[rest] = HiddenCheck(rest, None, {k: from_spec(v) for k, v in spec["compare"].items()})
                if spec.get("measured"):
                    refs.measured.add(rest)
                if spec.get("seconds") is not None:
                    refs.check_seconds[rest] = float(spec["seconds"])
            elif group == _COST:
                refs.solution_seconds = float(data[key])
            else:
                refs.outputs.setdefault(group, {})[rest] = data[key]
    if not refs.checks:
        raise ReferenceMissing(f"{path} was made by an older version: run `python -m autograder generate {assignment}`")
    return refs


def write(root: Path, assignment: str, outputs: dict[str, dict[str, np.ndarray]],
          checks: dict[str, HiddenCheck], solution_seconds: float,
          check_seconds: dict[str, float] | None = None) -> Path:
    """Write the file atomically. `checks` gives each recorded check's comparators (only those
    of autograder.compare: they are stored as plain data) and whether it is measured;
    `check_seconds` how long each check's probe took on the solution."""
    arrays: dict[str, np.ndarray] = {}
    for name, recorded in outputs.items():
        spec = checks[name]
        arrays.update({f"{name}|{k}": np.asarray(v) for k, v in recorded.items()})
        description = {"compare": {k: to_spec(spec.comparator(k)) for k in recorded}, "measured": spec.measure is not None,
                       "seconds": None if check_seconds is None or name not in check_seconds
                       else round(check_seconds[name], 4)}
        arrays[f"{_CHECK}|{name}"] = np.array(json.dumps(description))
    arrays[f"{_COST}|solution_seconds"] = np.array(round(solution_seconds, 2))
    target = course.reference_path(root, assignment)
    partial = target.with_suffix(".partial.npz")
    np.savez(partial, **arrays)
    os.replace(partial, target)
    return target
