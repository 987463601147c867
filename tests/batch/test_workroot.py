"""Work folders left by a process that no longer runs (a grader or Dask worker killed with
SIGKILL or by the OOM killer) are removed by the next batch; nothing else is."""
from __future__ import annotations

import os
import subprocess
import sys

from autograder.batch import workroot

MAKE = "from autograder.batch import workroot; print(workroot.make('mini'), flush=True)"


def _made_by_a_process(tmp_path, *, stay: bool) -> tuple[str, subprocess.Popen]:
    code = MAKE + ("; import time; time.sleep(120)" if stay else "")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "TMPDIR": str(tmp_path)})
    return proc.stdout.readline().strip(), proc


def test_only_folders_whose_maker_is_gone_are_swept(tmp_path):
    ended, proc = _made_by_a_process(tmp_path, stay=False)
    proc.wait()
    proc.stdout.close()
    running, alive = _made_by_a_process(tmp_path, stay=True)
    try:
        name = os.path.basename(ended)
        ns, pid, started, rest = name[len(workroot.PREFIX):].split("-", 3)
        reused = tmp_path / f"{workroot.PREFIX}{ns}-{os.getpid()}-1-{rest}"  # this pid, another start time
        elsewhere = tmp_path / f"{workroot.PREFIX}{int(ns) + 1}-{pid}-{started}-{rest}"  # another container's
        unrelated = tmp_path / "autograder-export-abc"
        for folder in (reused, elsewhere, unrelated):
            folder.mkdir()
        (tmp_path / ended / "job").mkdir()
        (tmp_path / ended / "job" / "cells.json").write_text("{}")

        removed = workroot.sweep(tmp_path)

        assert sorted(map(str, removed)) == sorted([ended, str(reused)])
        assert not os.path.exists(ended) and not reused.exists()
        assert os.path.isdir(running) and elsewhere.is_dir() and unrelated.is_dir()
        assert (os.stat(running).st_mode & 0o777) == 0o700
    finally:
        alive.kill()
        alive.wait()
        alive.stdout.close()
    assert workroot.sweep(tmp_path) == [tmp_path / os.path.basename(running)]
