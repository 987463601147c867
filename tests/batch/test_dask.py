"""The batch grader on a real Dask cluster on loopback: a scheduler and two workers started
here. Same scores as the local grader; a worker killed mid-batch loses and double-counts
nothing; a notebook whose workers keep dying becomes a record with a reason."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from nbgrader.api import Gradebook

from autograder import nbgrader_run
from autograder.batch import workroot
from autograder.batch.grade import Options, grade
from conftest import copy_course

from .conftest import submit_solution, submit_wrong

pytestmark = pytest.mark.xdist_group("dask")


class Cluster:
    """`dask scheduler` and N `dask worker` processes (each with a nanny) on 127.0.0.1."""

    def __init__(self, folder: Path, workers: int = 2, allowed_failures: int = 3):
        self.folder = folder
        self.file = folder / "scheduler.json"
        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
               "TF_CPP_MIN_LOG_LEVEL": "1",
               "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": str(allowed_failures)}
        self.logs = []
        self.procs = [self._start(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                                   "--no-dashboard", "--scheduler-file", str(self.file)], env, "scheduler")]
        deadline = time.monotonic() + 60
        while not self.file.is_file():
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.2)
        self.address = json.loads(self.file.read_text())["address"]
        for i in range(workers):
            self.procs.append(self._start(
                ["distributed.cli.dask_worker", "--scheduler-file", str(self.file), "--nthreads", "1",
                 "--nworkers", "1", "--no-dashboard", "--memory-limit", "0", "--host", "127.0.0.1",
                 "--name", f"w{i}"], env, f"worker{i}"))
        from distributed import Client
        self.client = Client(self.address, timeout=60, set_as_default=False)
        self.client.wait_for_workers(workers, timeout=120)

    def _start(self, args, env, name):
        log = open(self.folder / f"{name}.log", "w")
        self.logs.append(log)
        return subprocess.Popen([sys.executable, "-m", *args], env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)

    def worker_pids(self) -> dict[str, int]:
        return self.client.run(os.getpid)

    def close(self):
        self.client.close()
        for proc in reversed(self.procs):
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        for log in self.logs:
            log.close()


@pytest.fixture
def cluster(tmp_path):
    folder = tmp_path / "dask-cluster"
    folder.mkdir()
    c = Cluster(folder)
    yield c
    c.close()


def class_of(generated_mini, dest: Path, students: dict[str, str]) -> Path:
    root = copy_course(generated_mini, dest)
    for student, kind in students.items():
        (submit_solution if kind == "right" else submit_wrong)(root, student)
    return root


CLASS = {f"s{i}": "right" if i % 2 == 0 else "wrong" for i in range(6)}


class WorkerKiller:
    """A thread that SIGKILLs the worker processes that run matching tasks (a node failure, as
    far as Dask knows), watching the scheduler itself so that the kill never depends on when
    results happen to arrive; at most `limit` kills."""

    def __init__(self, cluster: Cluster, matches, limit: int):
        self.cluster, self.matches, self.limit = cluster, matches, limit
        self.deaths: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self):
        while not self._stop.is_set() and len(self.deaths) < self.limit:
            try:
                processing = self.cluster.client.processing()
                pids = self.cluster.worker_pids()
            except Exception:
                time.sleep(0.1)
                continue
            for address, keys in processing.items():
                if address in pids and any(self.matches(str(k)) for k in keys):
                    try:
                        os.kill(pids[address], signal.SIGKILL)
                        self.deaths.append(address)
                    except ProcessLookupError:
                        pass
                    break  # look again: the scheduler moves the dead worker's tasks elsewhere
            time.sleep(0.1)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=10)


def test_scores_equal_the_local_grader_and_survive_a_killed_worker(generated_mini, tmp_path, cluster):
    local = class_of(generated_mini, tmp_path / "local", CLASS)
    remote = class_of(generated_mini, tmp_path / "remote", CLASS)
    grade(local, "mini", options=Options(workers=2, wall_timeout=60, cell_timeout=20))
    # a worker running a student's notebook dies mid-batch; its nanny starts a new one
    with WorkerKiller(cluster, lambda key: re.match(r"grade-mini-s\d+-", key), limit=1) as killer:
        records = grade(remote, "mini", options=Options(wall_timeout=60, cell_timeout=20,
                                                         scheduler=cluster.address))
    assert len(killer.deaths) == 1
    assert sorted(r.student for r in records) == sorted(CLASS)
    assert all(r.status == "graded" for r in records), [r.reasons for r in records]
    assert nbgrader_run.cell_scores(remote, "mini") == nbgrader_run.cell_scores(local, "mini")
    with Gradebook(nbgrader_run.db_url(remote)) as gb:
        assert len(gb.assignment_submissions("mini")) == len(CLASS)  # one score per student
    # the killed worker's job folder (a copy of the submission) went with its successor's start
    left = [f for f in Path(tempfile.gettempdir()).glob(f"{workroot.PREFIX}*-dask-*") if workroot.maker_is_gone(f)]
    assert not left, left


def test_a_notebook_whose_workers_keep_dying_is_recorded_not_retried_forever(generated_mini, tmp_path):
    folder = tmp_path / "dask-cluster"
    folder.mkdir()
    cluster = Cluster(folder, workers=2, allowed_failures=1)
    try:
        root = class_of(generated_mini, tmp_path / "course", {"honest": "right", "poison": "right"})
        with WorkerKiller(cluster, lambda key: "poison" in key, limit=10) as killer:
            records = {r.student: r for r in grade(root, "mini", options=Options(
                wall_timeout=60, cell_timeout=20, scheduler=cluster.address))}
        assert len(killer.deaths) == 2  # allowed failures + 1, then given up
        assert records["honest"].status == "graded" and records["honest"].score == 2
        assert records["poison"].status == "graded" and records["poison"].score == 0
        assert any("died each time it ran" in reason for reason in records["poison"].reasons)
    finally:
        cluster.close()


def test_an_unreachable_scheduler_is_a_clear_error(generated_mini, tmp_path):
    root = class_of(generated_mini, tmp_path / "course", {"a": "right"})
    # Dask's connect timeout, as a grader sets it (30 s by default): the error comes after it
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "3s"}
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "autograder", "--course", str(root), "grade", "mini",
                           "--scheduler", "tcp://127.0.0.1:9"], capture_output=True, text=True, timeout=120, env=env)
    assert time.monotonic() - started < 25, "the configured connect timeout, not Dask's default 30 s"
    assert proc.returncode == 3, proc.stderr
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in proc.stderr
    assert not (root / "autograded" / "a").exists()  # nothing half-graded
