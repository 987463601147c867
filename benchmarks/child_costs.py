"""What a notebook's child costs beyond its notebook: the memory it holds, what its garbage
collector costs, and what its first traceback costs.

    python benchmarks/child_costs.py

A child is forked from the zygote, which imported TensorFlow, Keras and IPython: its pages are
the zygote's until the child writes to them. A full garbage collection writes to the header
of every object it walks, so without `gc.freeze` in the zygote the first one in a child walks
all ~400,000 preloaded objects and turns the pages holding them into the child's own copy.
IPython's first traceback in a process asks inspect.getmodule about each frame, which then
takes the real path of every loaded module's file (TensorFlow's ~4,000) unless the zygote
already did (`warm_tracebacks`).

Part 1 runs real notebooks through the batch grader's pool (ZygotePool, the sandbox as
configured): one cell reports the child's unique memory (USS: pages no other process maps)
before and after a full collection, and how long that collection took; another formats two
tracebacks as a failing cell's are formatted, and reports how long each took. Part 2 forks from
an interpreter that preloaded what the zygote preloads, without and with `freeze_preloaded`
and `warm_tracebacks`, and measures the same, so they can be compared side by side.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from autograder.runner import protocol  # noqa: E402
from autograder.runner.pool import Job, ZygotePool  # noqa: E402

MEASURE = (
    "import gc, time, psutil\n"
    "def _uss():\n"
    "    return psutil.Process().memory_full_info().uss / 2**20\n"
    "_before = _uss()\n"
    "_t = time.perf_counter(); gc.collect(); _collect = time.perf_counter() - _t\n"
    "print(f'{_before:.1f} {_uss():.1f} {_collect:.3f}')\n"
)


TRACEBACKS = (
    "import time\n"
    "def _fails():\n"
    "    raise ValueError('not yet')\n"
    "for _ in range(2):\n"
    "    _t = time.perf_counter()\n"
    "    try:\n"
    "        _fails()\n"
    "    except ValueError:\n"
    "        get_ipython().showtraceback()\n"
    "    print(f'{time.perf_counter() - _t:.3f}')\n"
)


def in_pool(source: str) -> list[float]:
    """The numbers one cell printed, run in a child of the batch grader's pool."""
    tmp = Path(tempfile.mkdtemp(prefix="child-costs-"))
    tmp.chmod(0o755)  # a child that drops to its own user must be able to enter it
    try:
        (tmp / "work").mkdir()
        (tmp / "cells.json").write_text(json.dumps([{"cell_type": "code", "source": source, "id": "c0"}]))
        request = protocol.Request(id="one", job_dir=str(tmp), cells_path=str(tmp / "cells.json"),
                                   work_dir=str(tmp / "work"), course_root=str(tmp), wall_timeout=120,
                                   cell_timeout=60, memory_mb=4096, output_limit=100_000)
        with ZygotePool(1) as pool:
            pool.run([Job(request)], lambda job, event: None)
        fd = protocol.open_job_dir(tmp)
        try:
            journal = protocol.read_journal(fd)
        finally:
            os.close(fd)
        text = "".join(o.get("text", "") for o in journal.finished[0]["outputs"] if o["output_type"] == "stream")
        return [float(x) for x in text.split()]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def forked(freeze: bool, warm: bool, source: str) -> list[float]:
    """The numbers `source` printed in a child forked from a process that preloaded as the
    zygote does (with or without gc.freeze and the traceback warm-up), run in a NotebookShell
    as in the pool but without the sandbox."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        from autograder.runner.zygote import freeze_preloaded, preload, warm_tracebacks
        preload()
        if warm:
            warm_tracebacks()
        if freeze:
            freeze_preloaded()
        child = os.fork()
        if child == 0:
            import contextlib
            import io

            from autograder.runner.cells import NotebookShell, OutputCollector
            shell = NotebookShell.start()
            shell.collector = OutputCollector([1_000_000])
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                shell.run_cell(source)
            os.write(write_end, printed.getvalue().encode())
            os._exit(0)
        os.waitpid(child, 0)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as f:
        text = f.read()
    os.waitpid(pid, 0)
    return [float(x) for x in text.split()]


def main() -> None:
    memory = [("the batch grader's child (ZygotePool)", in_pool(MEASURE)),
              ("forked from a preload, no gc.freeze", forked(False, True, MEASURE)),
              ("forked from a preload, gc.freeze", forked(True, True, MEASURE))]
    print(f"{'child':<44}{'USS MB at start':>17}{'after a full gc':>17}{'gc seconds':>12}")
    for label, (before, after, seconds) in memory:
        print(f"{label:<44}{before:>17.1f}{after:>17.1f}{seconds:>12.3f}")
    print()
    tracebacks = [("the batch grader's child (ZygotePool)", in_pool(TRACEBACKS)),
                  ("forked from a preload, no warm-up", forked(True, False, TRACEBACKS)),
                  ("forked from a preload, warm_tracebacks", forked(True, True, TRACEBACKS))]
    print(f"{'child':<44}{'first traceback s':>19}{'second s':>10}")
    for label, (first, second) in tracebacks:
        print(f"{label:<44}{first:>19.3f}{second:>10.3f}")


if __name__ == "__main__":
    main()
