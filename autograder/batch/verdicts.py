"""Turn what a child left behind into the executed notebook nbgrader will score.

The journal gives each finished cell's outputs; the record streams give what the student's
code produced for each hidden check (and, for measured checks, what the verifier measured).
Everything is read through runner/protocol.py as untrusted data. The hidden checks are judged
here, against references the child could not read, and each verdict is written into the test
cell's outputs: an error output when it fails, so nbgrader's own scoring gives the cell 0.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from nbformat import NotebookNode, from_dict
from nbgrader.utils import determine_grade

from ..judge import judge
from ..kernels import language_info
from ..reference_file import References
from ..runner import protocol
from ..submissions import grade_id

CHECK_CALL = re.compile(r"""\bcheck\(\s*["']([A-Za-z][\w]*\.[A-Za-z]\w*)["']""")


def checks_called(source: str) -> list[str]:
    """The qualified names of the hidden checks a (trusted, sanitised) cell calls."""
    return CHECK_CALL.findall(source)


def is_test_cell(cell) -> bool:
    return cell.cell_type == "code" and bool(cell.get("metadata", {}).get("nbgrader", {}).get("grade"))


@dataclass
class ChildResults:
    """What one notebook's run left, read from its job folder."""

    journal: protocol.Journal
    records: protocol.RecordStream
    verified: protocol.RecordStream
    problems: list[str] = field(default_factory=list)  # what could not be read, and why

    @classmethod
    def read(cls, job_dir: str) -> ChildResults:
        fd = protocol.open_job_dir(job_dir)
        problems = []
        try:
            def attempt(reader, empty, what):
                try:
                    return reader()
                except protocol.UnreadableResult as exc:
                    problems.append(f"{what}: {exc}")
                    return empty
            journal = attempt(lambda: protocol.read_journal(fd), protocol.Journal(), "the notebook's outputs")
            records = attempt(lambda: protocol.read_records(fd), protocol.RecordStream(), "the recorded checks")
            verified = attempt(lambda: protocol.read_records(fd, protocol.VERIFIED), protocol.RecordStream(),
                               "the measured checks")
        finally:
            os.close(fd)
        return cls(journal, records, verified, problems)


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
                    if isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v))
                    or (isinstance(v, dict) and str(k).endswith("json"))}
            out = {"output_type": kind, "data": data, "metadata": {}}
            if kind == "execute_result":
                count = output.get("execution_count")
                out["execution_count"] = count if type(count) is int and count > 0 else None
            return from_dict(out)
        if kind == "error":
            traceback = output.get("traceback", [])
            return from_dict({"output_type": "error", "ename": str(output["ename"]), "evalue": str(output["evalue"]),
                              "traceback": [str(t) for t in traceback] if isinstance(traceback, list) else []})
    except (KeyError, TypeError, ValueError, RecursionError):
        return None
    return None


def error_output(ename: str, message: str) -> NotebookNode:
    return from_dict({"output_type": "error", "ename": ename, "evalue": message,
                      "traceback": [f"{ename}: {message}"]})


def apply_results(nb: NotebookNode, results: ChildResults, refs: References, assignment: str,
                  fault: str | None, cell_checks: dict[str, list[str]] | None = None
                  ) -> tuple[NotebookNode, str | None]:
    """Fill `nb` (the sanitised submission, trusted cell sources) with the child's outputs and
    the verdicts of its hidden checks. `fault` says why the child stopped early, if it did.
    `cell_checks` ({grade_id: checks}, gradebook.hidden_checks_by_cell) says which checks each
    test cell must have recorded; without it they are read from the cell's text.
    Returns the notebook and, when some cells never ran, the reason shown for it."""
    finished = results.journal.finished
    nb.metadata["language_info"] = language_info()
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
            cell.execution_count = entry["execution_count"]
        gid = grade_id(cell)
        if is_test_cell(cell) or (cell_checks is not None and gid in cell_checks):
            expected = checks_called(cell.source) if cell_checks is None else cell_checks.get(gid, [])
            _judge_cell(cell, index, expected, results, refs, assignment, ran=entry is not None)
            for qualified in _missing(cell, expected):
                cell.outputs.append(error_output("CheckFailed", f"{qualified}: {MISSING_CHECK}"))
            cell.outputs = costly_first(cell.outputs)
    if stopped_at is not None:
        stop_reason = f"cell {stopped_at}: {stop_reason}"
    return nb, stop_reason


MISSING_CHECK = "the hidden check is missing from the test cell that ran (a grader defect: please report it)"


def _missing(cell, expected: list[str]) -> list[str]:
    called = checks_called(cell.source)
    return [qualified for qualified in expected if qualified not in called]


def missing_checks(nb: NotebookNode, cell_checks: dict[str, list[str]]) -> list[str]:
    """'<grade_id>: <check>' for each hidden check the gradebook's test cell calls and the
    sanitised notebook's does not: the grader ran something else than the course's test."""
    return [f"{grade_id(cell)}: {qualified}" for cell in nb.cells if grade_id(cell) in cell_checks
            for qualified in _missing(cell, cell_checks[grade_id(cell)])]


def _costs_points(output) -> bool:
    return output.output_type == "error" or (output.output_type == "stream" and output.get("name") == "stderr")


def costly_first(outputs: list) -> list:
    """A test cell's outputs with those that cost points (errors, stderr) ahead of the rest.
    nbgrader scores a test cell by the first such output or `execute_result`, and reads an
    `execute_result` as partial credit (full credit when it is not a number); a thread of the
    student's can hand values to the display hook while a test cell runs, which would put one
    ahead of the error that fails the cell."""
    return sorted(outputs, key=lambda output: not _costs_points(output))


def _judge_cell(cell, index: int, checks: list[str], results: ChildResults, refs: References, assignment: str,
                ran: bool) -> None:
    for qualified in checks:
        owner, name = qualified.split(".", 1)
        spec = refs.checks.get(name) if owner == assignment else None
        if spec is None:
            cell.outputs.append(error_output("CheckFailed", f"{qualified}: not a check of this assignment"))
            continue
        if not ran:
            continue  # the cell already carries the reason the notebook stopped
        stream = results.verified if name in refs.measured else results.records
        try:
            got = stream.outputs(qualified, index)
        except protocol.UnreadableResult as exc:
            cell.outputs.append(error_output("CheckFailed", f"{name}: the grader could not read what this check "
                                                            f"recorded ({exc})"))
            continue
        if got is None:
            if not any(o.output_type == "error" for o in cell.outputs):
                what = "was not measured" if name in refs.measured and results.records.has(qualified, index) \
                    else "did not run"
                cell.outputs.append(error_output("CheckFailed", f"{name}: the hidden check {what}"))
            continue
        problems = judge(spec, got, refs.reference(name))
        if problems:
            message = "; ".join(problems)
            if not message.startswith(f"{name}:"):
                message = f"{name}: {message}"
            cell.outputs.append(error_output("CheckFailed", message))
        else:
            cell.outputs.append(from_dict({"output_type": "stream", "name": "stdout",
                                           "text": f"hidden check {name}: passed\n"}))


def lost_points(nb: NotebookNode) -> list[str]:
    """The automatically graded cells of a judged notebook that would not earn their points,
    each with the first message that costs them (nbgrader's own rule: an error or stderr
    output), after the benign stderr lines nbgrader's pipeline removes."""
    from ..preprocessors import StripBenignStderr
    nb, _ = StripBenignStderr().preprocess(nb.copy() if hasattr(nb, "copy") else nb, {})
    lost = []
    for cell in nb.cells:
        if not is_test_cell(cell):
            continue
        points, max_points = determine_grade(cell)
        if points is not None and points < max_points:
            reason = next((f"{o.get('ename')}: {o.get('evalue')}" for o in cell.outputs if o.output_type == "error"),
                          next((f"stderr: {o.get('text', '')[:200]}" for o in cell.outputs
                                if o.output_type == "stream" and o.get("name") == "stderr"), "no points"))
            lost.append(f"{cell.metadata['nbgrader']['grade_id']} ({points:g}/{max_points:g}): {reason}")
    return lost
