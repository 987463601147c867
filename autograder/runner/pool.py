"""A pool of forked children behind one pre-warmed interpreter (the zygote).

The grading process starts the zygote as a subprocess, sends it one Request per notebook
and reads back one Event per finished request (protocol.py). It never imports or runs
student code.
"""
from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from dataclasses import dataclass, field

import autograder

from ..errors import AutograderError
from ..kernels import with_absolute_keras_home
from .protocol import Event, Request


class ZygoteDied(AutograderError):
    """The pre-warmed interpreter exited; the message carries the end of its stderr."""


@dataclass
class Job:
    """A request and what the caller needs back with its event."""

    request: Request
    extra: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.request.id


def zygote_env(env: dict[str, str] | None) -> dict[str, str]:
    """The zygote runs from / (its working folder would be on its sys.path, and the child would
    see it) and imports this very package, wherever it lives; paths are as this process meant
    them (a Dask worker's own environment reaches it only through here)."""
    env = with_absolute_keras_home(env or os.environ)
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(autograder.__file__)))
    env["PYTHONPATH"] = os.pathsep.join([package_parent] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    return env


class ZygotePool:
    """Run up to `workers` jobs at once in children of one pre-warmed interpreter."""

    def __init__(self, workers: int, env: dict[str, str] | None = None):
        self.workers = workers
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "autograder.runner.zygote"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=zygote_env(env), text=True, bufsize=1, cwd="/",
        )
        self.events: queue.Queue = queue.Queue()
        self._stderr_tail: list[str] = []
        self._readers = [threading.Thread(target=self._read_events, daemon=True),
                         threading.Thread(target=self._read_stderr, daemon=True)]
        for reader in self._readers:
            reader.start()

    def _read_events(self) -> None:
        for line in self.proc.stdout:
            try:
                self.events.put(Event.from_json(line))
            except (ValueError, TypeError):
                continue
        self.events.put(None)

    def _read_stderr(self) -> None:
        for line in self.proc.stderr:
            self._stderr_tail = (self._stderr_tail + [line.rstrip()])[-20:]

    def submit(self, job: Job) -> None:
        self.proc.stdin.write(job.request.to_json() + "\n")
        self.proc.stdin.flush()

    def next_event(self) -> Event:
        event = self.events.get()
        if event is None:
            raise ZygoteDied("the pre-warmed interpreter exited:\n" + "\n".join(self._stderr_tail))
        return event

    def run(self, jobs, on_done) -> None:
        """Run `jobs` (an iterable of Job), at most `workers` at a time; call
        on_done(job, event) in this thread as each one ends.

        A dispatcher thread refills a worker's slot the moment its notebook ends, so the
        workers stay busy while this thread records results (the gradebook write is serial)."""
        jobs = iter(jobs)
        active: dict[str, Job] = {}
        finished: queue.Queue = queue.Queue()
        lock = threading.Lock()

        def submit_next() -> None:
            with lock:
                job = next(jobs, None)
                if job is not None:
                    active[job.id] = job
                    self.submit(job)

        def dispatch() -> None:
            try:
                while True:
                    with lock:
                        if not active:
                            break
                    event = self.next_event()
                    with lock:
                        job = active.pop(event.id, None)
                    if job is None:
                        continue
                    submit_next()
                    finished.put((job, event))
            except BaseException as exc:  # noqa: BLE001 - handed to the recording thread
                finished.put(exc)
                return
            finished.put(None)

        for _ in range(self.workers):
            submit_next()
        dispatcher = threading.Thread(target=dispatch, daemon=True)
        dispatcher.start()
        while (item := finished.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            on_done(*item)
        dispatcher.join()

    def close(self, abort: bool = False) -> None:
        """Let the zygote finish (it kills what is still running only on its deadlines), or with
        `abort` have it end its children now; then release the pipes."""
        if abort and self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for reader in self._readers:
            reader.join(timeout=5)
        self.proc.stdout.close()
        self.proc.stderr.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        self.close(abort=exc_type is not None)
