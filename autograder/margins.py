"""How far each numeric check's tolerance is from the answers it must tell apart.

For every output a check compares with `Close`, the error of a submission is measured in
units of its tolerance: max |got - want| / (atol + rtol * |want|) over the elements (0: equal,
1: at the edge of the tolerance, inf: wrong shape or dtype, or the code raised). A check's
margin holds when every honest alternative (and the solution) stays within the tolerance
(<= 1) and every wrong variant that must lose the check is at least ten tolerances away
(>= 10). The outputs are the ones the batch grader recorded for the proof's corpus
(prove.py keeps them).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np

from . import course, reference_file
from .compare import Close
from .hidden import HiddenCheck
from .probe import ERROR_KEY
from .runner import protocol

CHECK_CALL = re.compile(r"""\bcheck\(\s*["']([A-Za-z][\w]*\.[A-Za-z]\w*)["']""")
WRONG_FACTOR = 10.0


def error_ratio(comparator, got: np.ndarray | None, want: np.ndarray) -> float:
    """The error of one output in units of its tolerance (see the module's docstring); for a
    comparator that is not `Close`: 0 when it accepts the output, inf when it does not."""
    if got is None:
        return math.inf
    if not isinstance(comparator, Close):
        return 0.0 if comparator("x", got, want) is None else math.inf
    if got.shape != want.shape or (comparator.check_dtype and got.dtype != want.dtype):
        return math.inf
    if got.dtype.kind not in "biuf" or want.dtype.kind not in "biuf":
        return 0.0 if comparator("x", got, want) is None else math.inf
    g, w = got.astype(np.float64), want.astype(np.float64)
    if g.size == 0:
        return 0.0
    if np.any(np.isnan(g) != np.isnan(w)):
        return math.inf
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        err = np.where(np.isnan(g) & np.isnan(w), 0.0, np.abs(g - w))
        scale = comparator.atol + comparator.rtol * np.abs(w)
        ratio = np.where(err == 0, 0.0, err / scale)
    return float(np.max(np.nan_to_num(ratio, nan=math.inf)))


def check_ratio(spec: HiddenCheck, got: dict | None, want: dict) -> float:
    """The largest error ratio over a check's outputs (inf when its probe raised)."""
    if got is None or ERROR_KEY in got:
        return math.inf
    return max((error_ratio(spec.comparator(k), got.get(k), v) for k, v in want.items()), default=0.0)


def test_cell_checks(root: Path, assignment: str) -> dict[str, list[str]]:
    """{test cell grade id: the checks its hidden test calls}."""
    (source_nb,) = course.source_notebooks(root, assignment)
    cells = {}
    for cell in nbformat.read(source_nb, as_version=4).cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and cell.cell_type == "code":
            cells[meta["grade_id"]] = [q.split(".", 1)[1] for q in CHECK_CALL.findall(cell.source)]
    return cells


def recorded_outputs(results: Path, assignment: str, student: str, refs: reference_file.References) -> dict[str, dict]:
    """{check: outputs} the batch grader kept for one student (Options.keep_results): the
    verifier's for measured checks, the child's otherwise."""
    found: dict[str, dict] = {}
    for records in sorted((results / assignment / student).glob(f"*.{protocol.RECORDS}")):
        streams = {"records": protocol.read_stream(records.read_bytes())}
        verified = records.with_name(records.name.replace(protocol.RECORDS, protocol.VERIFIED))
        streams["verified"] = protocol.read_stream(verified.read_bytes() if verified.is_file() else b"")
        for check in refs.checks:
            stream = streams["verified" if check in refs.measured else "records"]
            for (qualified, cell) in stream.records:
                if qualified == f"{assignment}.{check}" and check not in found:
                    try:
                        found[check] = stream.outputs(qualified, cell)
                    except protocol.UnreadableResult:
                        found[check] = None
    return found


@dataclass
class Margin:
    check: str
    tolerance: str
    honest_max: float  # the largest error ratio among the honest alternatives (and the solution)
    wrong_min: float  # the smallest among the wrong variants that must lose the check
    honest_worst: str = ""
    wrong_closest: str = ""

    @property
    def ok(self) -> bool:
        return self.honest_max <= 1.0 and self.wrong_min >= WRONG_FACTOR

    def problem(self) -> str:
        return (f"margin of {self.check} ({self.tolerance}): honest answers up to {self.honest_max:.3g} "
                f"tolerances ({self.honest_worst or '-'}), wrong ones from {self.wrong_min:.3g} "
                f"({self.wrong_closest or '-'}); honest must be <= 1, wrong >= {WRONG_FACTOR:g}")


def margins(root: Path, assignment: str, results: Path, students: dict[str, tuple[str, ...]]) -> list[Margin]:
    """The margin of every check that compares an output with `Close`. `students` maps each
    graded student id to the test cells it must lose (none: the solution or an honest one)."""
    refs = reference_file.read(root, assignment)
    cells = test_cell_checks(root, assignment)
    numeric = {name: spec for name, spec in refs.checks.items()
               if any(isinstance(spec.comparator(k), Close) for k in refs.reference(name))}
    result = {name: Margin(name, _tolerances(spec, refs.reference(name)), 0.0, math.inf)
              for name, spec in numeric.items()}
    for student, loses in students.items():
        recorded = recorded_outputs(results, assignment, student, refs)
        lost = {c for cell in loses for c in cells.get(cell, [])}
        for name, margin in result.items():
            ratio = check_ratio(numeric[name], recorded.get(name), refs.reference(name))
            if not loses and ratio > margin.honest_max:
                margin.honest_max, margin.honest_worst = ratio, student
            if name in lost and ratio < margin.wrong_min:
                margin.wrong_min, margin.wrong_closest = ratio, student
    return list(result.values())


def _tolerances(spec, reference: dict) -> str:
    seen = sorted({f"rtol={c.rtol:g} atol={c.atol:g}" for k in reference
                   if isinstance(c := spec.comparator(k), Close)})
    return ", ".join(seen)


def format_table(rows: list[Margin]) -> str:
    lines = ["| check | tolerance | honest max (who) | wrong min (who) | holds |", "|---|---|---|---|---|"]
    for m in sorted(rows, key=lambda m: m.check):
        lines.append(f"| {m.check} | {m.tolerance} | {m.honest_max:.3g} ({m.honest_worst or '-'}) | "
                     f"{m.wrong_min:.3g} ({m.wrong_closest or '-'}) | {'yes' if m.ok else 'NO'} |")
    return "\n".join(lines)
