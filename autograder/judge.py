"""Judging: a check's outputs compared with the reference outputs, as messages that say what
differs (shapes, dtypes, error sizes and positions, never a reference value or hidden input).

The grading process calls `judge` on what a child recorded; a plain kernel (nbgrader, otter)
calls `judge_here`, which probes and judges in one process.
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping

import numpy as np

from . import course, reference_file
from .hidden import CheckFailed, HiddenCheck, lookup, split_name
from .probe import ERROR_KEY, probe_and_measure


def judge(check: HiddenCheck, got: Mapping[str, np.ndarray], want: Mapping[str, np.ndarray]) -> list[str]:
    """What is wrong with `got` compared with the reference `want` (empty when it passes)."""
    if ERROR_KEY in got:
        return [str(got[ERROR_KEY])]
    problems = []
    for output, reference in want.items():
        if output not in got:
            problems.append(f"output '{output}' is missing")
            continue
        problem = check.comparator(output)(output, np.asarray(got[output]), reference)
        if problem:
            problems.append(problem)
    extra = sorted(set(got) - set(want))
    if extra:
        problems.append(f"unexpected outputs: {', '.join(extra)}")
    return problems


def judge_here(qualified: str, objects: tuple, root: Path | None = None) -> None:
    """Probe, measure and judge in this process; CheckFailed says what differs."""
    __tracebackhide__ = True
    root = root or course.find_course_root()
    assignment, name = split_name(qualified)
    spec = lookup(qualified, root)
    reference = reference_file.read(root, assignment).reference(name)
    problems = judge(spec, probe_and_measure(spec, objects), reference)
    if problems:
        raise CheckFailed(f"{name}: " + "; ".join(problems))
    print(f"hidden check {name}: passed")
