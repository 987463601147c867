"""Grade one notebook the way Gradescope would, with `otter run` (no container)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from ..errors import AutograderError


class OtterRunFailed(AutograderError):
    """`otter run` did not produce results; the message quotes its output."""


def otter_scores(zip_path: Path, notebook: Path, workdir: Path, timeout: float = 900) -> dict[str, float]:
    """Points per automatically graded question that `otter run` gives `notebook`.

    otter executes the notebook and its tests in one process, from a copy in a temporary
    folder; `workdir` receives the copy graded and otter's results.json."""
    workdir.mkdir(parents=True, exist_ok=True)
    submission = workdir / notebook.name
    if submission.resolve() != notebook.resolve():
        shutil.copy2(notebook, submission)
    run = subprocess.run([sys.executable, "-m", "otter", "run", "--no-logo", "-a", str(zip_path),
                          "-o", str(workdir), submission.name],
                         cwd=workdir, capture_output=True, text=True, timeout=timeout)
    results = workdir / "results.json"
    if run.returncode != 0 or not results.is_file():
        raise OtterRunFailed(f"otter run {notebook.name} failed (exit {run.returncode}):\n"
                             f"{run.stdout[-2000:]}{run.stderr[-2000:]}")
    tests = json.loads(results.read_text())["tests"]
    return {t["name"]: float(t["score"]) for t in tests if t.get("score") is not None and t["name"] != "Public Tests"}
