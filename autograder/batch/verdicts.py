"""Turn what a child left behind into the executed notebook nbgrader will score.

The child's journal gives each finished cell's outputs; the recorded arrays give what the
student's code produced for each hidden check. Both were written by student-controlled
code, so they are read as untrusted data: size-capped, JSON and .npz without pickles. The
hidden checks are judged here, against references the child could not read, and each
verdict is written into the test cell's outputs: an error output when it fails, so
nbgrader's own scoring gives the cell 0 points.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
from nbformat import NotebookNode, from_dict

from .. import hidden

CHECK_CALL = re.compile(r"""\bcheck\(\s*["']([A-Za-z][\w]*\.[A-Za-z]\w*)["']""")
MAX_JOURNAL_BYTES = 64 * 1024 * 1024
MAX_RECORD_BYTES = 64 * 1024 * 1024


def read_crash(path: Path) -> str | None:
    """Why the child could not run the notebook at all, when it said so (a grader problem,
    not the student's: e.g. the isolation could not be set up)."""
    finished_text = path.read_bytes()[-4096:] if path.is_file() else b""
    for raw in reversed(finished_text.splitlines()):
        try:
            entry = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            continue
        if isinstance(entry, dict) and isinstance(entry.get("crash"), str):
            return entry["crash"]
    return None


def read_journal(path: Path) -> tuple[dict[int, dict], int | None]:
    """({cell index: finished entry}, index of a cell that started but never finished)."""
    finished: dict[int, dict] = {}
    started: int | None = None
    if not path.is_file():
        return finished, None
    with path.open("rb") as f:
        data = f.read(MAX_JOURNAL_BYTES)
    for raw in data.splitlines():
        try:
            entry = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            continue
        if not isinstance(entry, dict):
            continue
        if isinstance(entry.get("start"), int):
            started = entry["start"]
        elif isinstance(entry.get("index"), int) and isinstance(entry.get("outputs"), list):
            finished[entry["index"]] = entry
            if started == entry["index"]:
                started = None
    return finished, started


def _valid_output(output) -> NotebookNode | None:
    """One output as nbformat accepts it, or None when the child wrote something else."""
    if not isinstance(output, dict):
        return None
    kind = output.get("output_type")
    try:
        if kind == "stream" and output.get("name") in ("stdout", "stderr"):
            return from_dict({"output_type": "stream", "name": output["name"], "text": str(output["text"])})
        if kind in ("display_data", "execute_result"):
            data = {str(k): v for k, v in dict(output.get("data", {})).items()
                    if isinstance(v, (str, dict, list))}
            out = {"output_type": kind, "data": data, "metadata": {}}
            if kind == "execute_result":
                out["execution_count"] = int(output.get("execution_count") or 0) or None
            return from_dict(out)
        if kind == "error":
            return from_dict({"output_type": "error", "ename": str(output["ename"]),
                              "evalue": str(output["evalue"]),
                              "traceback": [str(t) for t in output.get("traceback", [])]})
    except (KeyError, TypeError, ValueError):
        return None
    return None


def error_output(ename: str, message: str) -> NotebookNode:
    return from_dict({"output_type": "error", "ename": ename, "evalue": message,
                      "traceback": [f"{ename}: {message}"]})


def read_record(path: Path) -> dict[str, np.ndarray] | None:
    if not path.is_file() or path.stat().st_size > MAX_RECORD_BYTES:
        return None
    try:
        return hidden.load_outputs(path)
    except (ValueError, OSError, EOFError):
        return None


def apply_results(nb: NotebookNode, journal: Path, records: Path, root: Path, assignment: str,
                  fault: str | None, checks: dict | None = None) -> tuple[NotebookNode, str | None]:
    """Fill `nb` (the sanitised submission, trusted cell sources) with the child's outputs and
    the verdicts of its hidden checks. `fault` says why the child stopped early, if it did.
    Returns the notebook and, when some cells never ran, the reason shown for it."""
    finished, _ = read_journal(journal)
    checks = checks if checks is not None else hidden.recorded_checks(root, assignment)
    stopped_at = None
    stop_reason = None
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        entry = finished.get(index)
        if entry is None:
            # Never ran: an error output, so that a test cell after the stop scores 0.
            cell.execution_count = None
            if stopped_at is None:
                stopped_at = index
                stop_reason = fault or "the Python process ended during this cell (os._exit, a crash or a kill)"
                reason = stop_reason
            else:
                reason = f"not run: the notebook stopped earlier ({stop_reason})"
            cell.outputs = [error_output("SubmissionStopped", reason)]
        else:
            cell.outputs = [o for o in map(_valid_output, entry["outputs"]) if o is not None]
            count = entry.get("execution_count")
            cell.execution_count = count if isinstance(count, int) else None
        if cell.metadata.get("nbgrader", {}).get("grade"):
            _judge_cell(cell, checks, records, root, assignment, ran=entry is not None)
    if stopped_at is not None:
        stop_reason = f"cell {stopped_at}: {stop_reason}"
    return nb, stop_reason


def _judge_cell(cell, checks, records: Path, root: Path, assignment: str, ran: bool) -> None:
    for qualified in CHECK_CALL.findall(cell.source):
        owner, name = qualified.split(".", 1)
        spec = checks.get(name) if owner == assignment else None
        if spec is None:
            cell.outputs.append(error_output("CheckFailed", f"{qualified}: not a check of this assignment"))
            continue
        if not ran:
            continue  # the cell already carries the reason the notebook stopped
        got = read_record(records / f"{qualified}.npz")
        if got is None:
            if not any(o.output_type == "error" for o in cell.outputs):
                cell.outputs.append(error_output("CheckFailed", f"{name}: the hidden check did not run"))
            continue
        problems = hidden.judge(spec, got, hidden.load_reference(root, assignment, name))
        if problems:
            message = "; ".join(problems)
            if not message.startswith(f"{name}:"):
                message = f"{name}: {message}"
            cell.outputs.append(error_output("CheckFailed", message))
        else:
            cell.outputs.append(from_dict({"output_type": "stream", "name": "stdout",
                                           "text": f"hidden check {name}: passed\n"}))
