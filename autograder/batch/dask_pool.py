"""Run the notebooks of a batch on a Dask cluster instead of the local zygote.

The coordinating process (the one that grades) packs each job's folder (the sanitised cells,
the student's other files and the probes, never the references) into a tar archive and
submits it as a task. On the worker, a plugin keeps a pre-warmed zygote (the same one the
local pool uses) and runs the job there; the task returns the child's journal and recorded
outputs as another tar archive, which the coordinator unpacks into the job's folder and
judges exactly as a local result. Nothing the student's code produced is unpickled: the
task's return value is built by our code from bytes, and the archive is unpacked with
tarfile's "data" filter (no links, devices or paths outside the folder).

Dask reschedules the tasks of a worker that dies; a job whose workers keep dying is given
up after the scheduler's `distributed.scheduler.allowed-failures` (default 3) and becomes a
record with that reason.
"""
from __future__ import annotations

import io
import os
import shutil
import tarfile
import tempfile
import threading
import uuid
from pathlib import Path

from distributed.diagnostics.plugin import WorkerPlugin

from .pool import Job, ZygotePool

PLUGIN_NAME = "autograder-zygote"


class DaskUnavailable(RuntimeError):
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
                slot = self.waiting.get(event.get("id"))
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


def run_on_worker(request: dict, job_dir_name: str, archive: bytes) -> dict:
    """The task: unpack the job, run it in this worker's zygote, return the journal and the
    recorded outputs as an archive (plus the zygote's event)."""
    from distributed import get_worker
    plugin = get_worker().plugins[PLUGIN_NAME]
    with tempfile.TemporaryDirectory(prefix="autograder-dask-") as tmp:
        os.chmod(tmp, 0o700)  # the job folder is mounted on its own for the notebook (see grade.py)
        local = Path(tmp) / job_dir_name
        local.mkdir()
        unpack(archive, local)
        origin = request["job_dir"]
        job = Job(**{k: (v.replace(origin, str(local), 1) if isinstance(v, str) and v.startswith(origin) else v)
                     for k, v in request.items() if k != "job_dir"})
        event = plugin.run(job)
        results = pack(local, [Path(job.journal), Path(job.out_dir)])
    return {"event": event, "results": results}


# -- coordinator side ----------------------------------------------------------------------

class DaskPool:
    """The local ZygotePool's interface (`run(jobs, on_done)`, context manager) on a cluster."""

    def __init__(self, address: str, env: dict[str, str] | None = None, connect_timeout: float = 30):
        from distributed import Client
        try:
            self.client = Client(address, timeout=connect_timeout, set_as_default=False)
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
            job_dir = Path(job.cells_path).parent
            request = {**job.request(), "job_dir": str(job_dir)}
            archive = pack(job_dir, [p for p in job_dir.iterdir()])
            key = f"grade-{job.id}-{uuid.uuid4().hex[:8]}"
            future = self.client.submit(run_on_worker, request, job_dir.name, archive, key=key, pure=False)
            futures[future] = (job, job_dir)
        with self.client.as_current():
            finished = as_completed(futures)
        for future in finished:
            job, job_dir = futures[future]
            try:
                answer = future.result()
            except Exception as exc:  # KilledWorker after the allowed failures, or the zygote died
                on_done(job, {"id": job.id, "status": "lost", "reason": _lost_reason(exc)})
                continue
            for stale in (Path(job.journal), Path(job.out_dir)):
                if stale.is_dir():
                    shutil.rmtree(stale)
                elif stale.exists():
                    stale.unlink()
            unpack(answer["results"], job_dir)
            on_done(job, answer["event"])
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
