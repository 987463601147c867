"""Reference outputs: run the solution notebook with a Recorder and keep what each check saw.

The reference is produced by executing the instructor's source notebook (solutions in
place) in a real kernel; every hidden check call records the solution's outputs on the
hidden cases. Nothing is typed by hand. The result is grading/<assignment>/reference.npz,
which never goes to students (it is outside source/, so nbgrader never releases it).
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from . import compare, course, hidden, reference_file
from .errors import AutograderError
from .judge import judge
from .kernels import KERNEL_ARGUMENTS, kernel_env
from .runner.recording import SECONDS_SUFFIX, load_outputs

RECORDER_SETUP = (
    "from autograder.hidden import install_recorder as _install\n"
    "from autograder.runner.recording import FileRecorder as _FileRecorder\n"
    "_install(_FileRecorder({out!r}))\n"
    "del _install, _FileRecorder"
)


class ReferenceBuildError(AutograderError):
    """The solution notebook could not produce the reference outputs."""


def record_notebook(notebook: Path, out_dir: Path, root: Path, timeout: int = 600, allow_errors: bool = False) -> None:
    """Execute `notebook` in a fresh kernel with check() calls recording into `out_dir`
    (`allow_errors`: go on after a failing cell, as grading does)."""
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(RECORDER_SETUP.format(out=str(out_dir))))
    with tempfile.TemporaryDirectory(prefix="autograder-ref-") as work:
        shutil.copytree(notebook.parent, work, dirs_exist_ok=True)
        client = NotebookClient(
            nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": work}},
            extra_arguments=KERNEL_ARGUMENTS, allow_errors=allow_errors,
        )
        env = kernel_env(root)
        try:
            # The kernel's own stderr is TensorFlow's start-up log; cell errors arrive as messages.
            client.execute(env=env, stderr=subprocess.DEVNULL)
        except CellExecutionError as exc:
            raise ReferenceBuildError(f"{notebook.name}: the solution failed while recording references:\n{exc}") from None


def build_references(root: Path, assignment: str, timeout: int = 600) -> Path:
    """Run the assignment's solution and write grading/<assignment>/reference.npz."""
    checks = hidden.load_checks(root, assignment)
    with tempfile.TemporaryDirectory(prefix="autograder-rec-") as tmp:
        out_dir = Path(tmp)
        started = time.perf_counter()
        for notebook in course.source_notebooks(root, assignment):
            record_notebook(notebook, out_dir, root, timeout)
        seconds = time.perf_counter() - started
        recorded = {p.name[: -len(".npz")]: p for p in out_dir.glob("*.npz")}
        probe_seconds = {p.name[: -len(SECONDS_SUFFIX)].split(".", 1)[1]: float(p.read_text())
                         for p in out_dir.glob(f"{assignment}.*{SECONDS_SUFFIX}")}
        outputs: dict[str, dict] = {}
        problems = []
        for name, spec in sorted(checks.items()):
            path = recorded.pop(f"{assignment}.{name}", None)
            if path is None:
                problems.append(f"check {name!r} is defined in checks.py but no notebook cell calls it")
                continue
            got = load_outputs(path)
            own = judge(spec, got, got)
            if own:
                problems.append(f"the solution fails its own check {name!r}: {'; '.join(own)}")
                continue
            try:
                for output in got:
                    compare.to_spec(spec.comparator(output))
            except (TypeError, KeyError) as exc:
                problems.append(f"check {name!r}: {exc}")
                continue
            outputs[name] = got
        problems += [f"a cell calls check {k!r}, which is not from this assignment" for k in recorded]
        if problems:
            raise ReferenceBuildError(f"{assignment}: " + "\n".join(problems))
    return reference_file.write(root, assignment, outputs, checks, seconds,
                                {name: probe_seconds[name] for name in outputs if name in probe_seconds})


def check_costs(refs: reference_file.References) -> str:
    """Each hidden check's probe time on the solution, costliest first, with its share of the
    solution's whole recording: where a smaller computation would make grading cheaper."""
    total = refs.solution_seconds or 0.0
    rows = sorted(refs.check_seconds.items(), key=lambda item: -item[1])
    width = max([len("check")] + [len(name) for name, _ in rows])
    lines = [f"{'check'.ljust(width)}  {'seconds':>8}  {'share':>6}"]
    for name, seconds in rows:
        share = f"{100 * seconds / total:5.1f}%" if total else "     -"
        lines.append(f"{name.ljust(width)}  {seconds:8.3f}  {share:>6}")
    checked = sum(refs.check_seconds.values())
    lines.append(f"{'all checks'.ljust(width)}  {checked:8.3f}  " + (f"{100 * checked / total:5.1f}%" if total else "     -")
                 + f"   (the solution notebook: {total:.2f} s)")
    return "\n".join(lines)
