"""A pool of forked children behind one pre-warmed interpreter (the zygote).

The grading process starts the zygote as a subprocess, sends it one request per notebook
and reads back one event per finished child. It never imports or runs student code.
"""
from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from dataclasses import dataclass, field


class ZygoteDied(RuntimeError):
    """The pre-warmed interpreter exited; the message carries the end of its stderr."""


@dataclass
class Job:
    id: str
    cells_path: str
    work_dir: str
    journal: str
    out_dir: str
    course_root: str
    wall_timeout: float
    cell_timeout: float
    memory_mb: int
    output_limit: int
    hide: str = ""  # the real course directory, hidden from the child where possible
    extra: dict = field(default_factory=dict)

    def request(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "extra"}


class ZygotePool:
    """Run up to `workers` jobs at once in children of one pre-warmed interpreter."""

    def __init__(self, workers: int, env: dict[str, str] | None = None):
        self.workers = workers
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "autograder.runner.zygote"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=env or os.environ.copy(), text=True, bufsize=1,
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
                self.events.put(json.loads(line))
            except json.JSONDecodeError:
                continue
        self.events.put(None)

    def _read_stderr(self) -> None:
        for line in self.proc.stderr:
            self._stderr_tail = (self._stderr_tail + [line.rstrip()])[-20:]

    def submit(self, job: Job) -> None:
        self.proc.stdin.write(json.dumps(job.request()) + "\n")
        self.proc.stdin.flush()

    def next_event(self) -> dict:
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
                        job = active.pop(event["id"], None)
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

    def close(self) -> None:
        """Let the zygote finish (it kills what is still running only on its deadlines), then
        release the pipes."""
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

    def __exit__(self, *exc):
        self.close()


class prefetched:
    """Iterate over `items` computed in a background thread that keeps up to `ahead` of
    them ready, so preparing the next job overlaps running the current ones. An exception
    raised while computing an item is raised again by the iteration. Use as a context
    manager: leaving it stops the thread (and waits for the item in progress)."""

    _END = object()

    def __init__(self, items, ahead: int):
        self._items = iter(items)
        self._ready: queue.Queue = queue.Queue(maxsize=max(1, ahead))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._fill, daemon=True, name="prefetch")

    def _fill(self) -> None:
        try:
            for item in self._items:
                if not self._put(item):
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            self._put(exc)
            return
        self._put(self._END)

    def _put(self, item) -> bool:
        while not self._stop.is_set():
            try:
                self._ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self):
        return self

    def __next__(self):
        item = self._ready.get()
        if item is self._END or isinstance(item, BaseException):
            self._ready.put(item)  # every later call ends the same way
            if item is self._END:
                raise StopIteration
            raise item
        return item

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
