"""What a notebook's child holds beyond its notebook, and what its garbage collector costs.

    python benchmarks/child_memory.py

A child is forked from the zygote, which imported TensorFlow, Keras and IPython: its pages are
the zygote's until the child writes to them. A full garbage collection writes to the header
of every object it walks, so without `gc.freeze` in the zygote the first one in a child walks
all ~400,000 preloaded objects and turns the pages holding them into the child's own copy.

Part 1 runs a real notebook through the batch grader's pool (ZygotePool, the sandbox as
configured): its cell reports the child's unique memory (USS: pages no other process maps)
before and after a full collection, and how long that collection took. Part 2 forks from an
interpreter that preloaded what the zygote preloads, without and with `freeze_preloaded`, and
measures the same, so the two can be compared side by side.
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


def in_pool() -> tuple[float, float, float]:
    tmp = Path(tempfile.mkdtemp(prefix="child-memory-"))
    tmp.chmod(0o755)  # a child that drops to its own user must be able to enter it
    try:
        (tmp / "work").mkdir()
        (tmp / "cells.json").write_text(json.dumps([{"cell_type": "code", "source": MEASURE, "id": "c0"}]))
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
        before, after, seconds = (float(x) for x in text.split())
        return before, after, seconds
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def forked(freeze: bool) -> tuple[float, float, float]:
    """Fork from a process that preloaded as the zygote does; the child reports as in part 1."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        from autograder.runner.zygote import freeze_preloaded, preload
        preload()
        if freeze:
            freeze_preloaded()
        child = os.fork()
        if child == 0:
            import gc
            import time

            import psutil
            before = psutil.Process().memory_full_info().uss / 2**20
            start = time.perf_counter()
            gc.collect()
            seconds = time.perf_counter() - start
            after = psutil.Process().memory_full_info().uss / 2**20
            os.write(write_end, f"{before} {after} {seconds}".encode())
            os._exit(0)
        os.waitpid(child, 0)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as f:
        text = f.read()
    os.waitpid(pid, 0)
    before, after, seconds = (float(x) for x in text.split())
    return before, after, seconds


def main() -> None:
    rows = [("the batch grader's child (ZygotePool)", in_pool()),
            ("forked from a preload, no gc.freeze", forked(False)),
            ("forked from a preload, gc.freeze", forked(True))]
    print(f"{'child':<40}{'USS MB at start':>17}{'after a full gc':>17}{'gc seconds':>12}")
    for label, (before, after, seconds) in rows:
        print(f"{label:<40}{before:>17.1f}{after:>17.1f}{seconds:>12.3f}")


if __name__ == "__main__":
    main()
