"""Run the notebooks of a batch on a Dask cluster instead of the local zygote.

The coordinating process (the one that grades) packs each job's folder (the sanitised cells,
the student's other files and the probes, never the references) into a tar archive and
submits it as a task. On the worker, a plugin keeps a pre-warmed zygote (the same one the
local pool uses) and runs the job there; the task returns the journal and the record streams
as bytes, read on the worker the way the coordinator reads a local job (runner/protocol.py:
regular files only, no links followed, size caps), and the coordinator writes them into the
job's folder and judges exactly as a local result. Nothing the student's code produced is
unpickled: the task's return value is built by our code from bytes, and the job archive is
unpacked with tarfile's "data" filter (no links, devices or paths outside the folder).

Dask reschedules the tasks of a worker that dies; a job whose workers keep dying is given
up after the scheduler's `distributed.scheduler.allowed-failures` (default 3) and becomes a
record with that reason.
"""
from __future__ import annotations

import io
import os
import shutil
import tarfile
import threading
import uuid
from pathlib import Path

from distributed.diagnostics.plugin import WorkerPlugin

from ..errors import AutograderError
from ..runner import protocol
from ..runner.pool import Job, ZygotePool
from . import workroot

RESULT_FILES = {protocol.JOURNAL: protocol.MAX_JOURNAL_BYTES, protocol.RECORDS: protocol.MAX_STREAM_BYTES,
                protocol.VERIFIED: protocol.MAX_STREAM_BYTES}

PLUGIN_NAME = "autograder-zygote"


class DaskUnavailable(AutograderError):
    """The scheduler cannot be reached or has no workers."""


def pack(folder: Path, members: list[Path]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for member in members:
            if member.exists():
                tar.add(member, arcname=str(member.relative_to(folder)))
    return buf.getvalue()


def unpack(data: bytes, folder: Path) -> None:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        tar.extractall(folder, filter="data")


# -- worker side ---------------------------------------------------------------------------

class ZygotePlugin(WorkerPlugin):
    """A Dask worker plugin: one pre-warmed zygote per worker, shared by its task threads."""

    name = PLUGIN_NAME

    def __init__(self, env: dict[str, str] | None = None):
        self.env = env or {}

    def setup(self, worker=None):
        workroot.sweep()  # what workers killed on this machine left behind
        env = {**os.environ, **self.env}
        threads = getattr(getattr(worker, "state", None), "nthreads", None) or 1
        self.pool = ZygotePool(threads, env=env)
        self.lock = threading.Lock()
        self.waiting: dict[str, list] = {}
        self.dispatcher = threading.Thread(target=self._dispatch, daemon=True)
        self.dispatcher.start()

    def _dispatch(self) -> None:
        while True:
            try:
                event = self.pool.next_event()
            except Exception as exc:  # the zygote died: every waiting task gets the reason
                with self.lock:
                    for slot in self.waiting.values():
                        slot[1] = exc
                        slot[0].set()
                return
            with self.lock:
                slot = self.waiting.get(event.id)
            if slot is not None:
                slot[1] = event
                slot[0].set()

    def run(self, job: Job) -> dict:
        slot = [threading.Event(), None]
        with self.lock:
            self.waiting[job.id] = slot
            self.pool.submit(job)
        slot[0].wait()
        with self.lock:
            self.waiting.pop(job.id, None)
        if isinstance(slot[1], BaseException):
            raise slot[1]
        return slot[1]

    def teardown(self, worker=None):
        self.pool.close()


def run_on_worker(request_json: str, archive: bytes) -> dict:
    """The task: unpack the job, run it in this worker's zygote, return the zygote's event and
    the job's result files (bytes, read without following links, within the caps)."""
    from distributed import get_worker
    plugin = get_worker().plugins[PLUGIN_NAME]
    request = protocol.Request.from_json(request_json)
    tmp = workroot.make("dask")  # only its owner may enter; the job folder is mounted on its own (grade.py)
    try:
        local = tmp / Path(request.job_dir).name
        local.mkdir()
        unpack(archive, local)
        origin = request.job_dir
        for name, value in vars(request).items():
            if isinstance(value, str) and value.startswith(origin):
                setattr(request, name, str(local) + value[len(origin):])
        event = plugin.run(Job(request))
        fd = protocol.open_job_dir(local)
        results = {}
        try:
            for name, cap in RESULT_FILES.items():
                try:
                    results[name] = protocol.read_job_file(fd, name, cap)
                except protocol.UnreadableResult:
                    results[name] = None  # the coordinator reads what is missing as missing
        finally:
            os.close(fd)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"event": event.to_json(), "results": results}


# -- coordinator side ----------------------------------------------------------------------

class DaskPool:
    """The local ZygotePool's interface (`run(jobs, on_done)`, context manager) on a cluster."""

    def __init__(self, address: str, env: dict[str, str] | None = None, connect_timeout: float | None = None):
        """`connect_timeout` None: Dask's configured `distributed.comm.timeouts.connect` (30 s
        unless the grader's Dask configuration or DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT says)."""
        from distributed import Client
        timeout = {} if connect_timeout is None else {"timeout": connect_timeout}
        try:
            self.client = Client(address, set_as_default=False, **timeout)
        except OSError as exc:
            raise DaskUnavailable(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        if not self.client.scheduler_info().get("workers"):
            self.client.close()
            raise DaskUnavailable(f"the Dask scheduler at {address} has no workers")
        self.client.register_plugin(ZygotePlugin(env), name=PLUGIN_NAME)

    def run(self, jobs, on_done) -> None:
        from distributed import as_completed
        futures = {}
        for job in jobs:
            job_dir = Path(job.request.job_dir)
            archive = pack(job_dir, [p for p in job_dir.iterdir()])
            key = f"grade-{job.id.replace('/', '-')}-{uuid.uuid4().hex[:8]}"
            future = self.client.submit(run_on_worker, job.request.to_json(), archive, key=key, pure=False)
            futures[future] = (job, job_dir)
        with self.client.as_current():
            finished = as_completed(futures)
        for future in finished:
            job, job_dir = futures[future]
            try:
                answer = future.result()
            except Exception as exc:  # KilledWorker after the allowed failures, or the zygote died
                on_done(job, protocol.Event(job.id, "lost", reason=_lost_reason(exc)))
                continue
            for name, data in answer["results"].items():
                if name not in RESULT_FILES:
                    continue
                path = job_dir / name
                if path.is_symlink() or path.is_file():
                    path.unlink()
                if data is not None:
                    path.write_bytes(data)
            on_done(job, protocol.Event.from_json(answer["event"]))
            future.release()

    def close(self) -> None:
        self.client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _lost_reason(exc: BaseException) -> str:
    if type(exc).__name__ == "KilledWorker":
        return ("the Dask workers running this notebook died each time it ran (gave up after the "
                "scheduler's allowed failures)")
    return f"the Dask worker could not run this notebook ({type(exc).__name__}: {str(exc)[:300]})"
