"""The pre-warmed interpreter: imports TensorFlow and the course libraries once, then forks
one child per notebook (and, for checks with `measure`, one verifier child afterwards, unless
every result it would measure was measured before: measured.py).

Run as `python -m autograder.runner.zygote`. It reads one Request (protocol.py) per line on
stdin and writes one Event per line on stdout when a request is done. It never runs a
TensorFlow op itself (TensorFlow's thread pools do not survive fork) and never touches
student code: each child runs one notebook under limits and exits. The children write their
frames into pipes; the zygote appends them to files in the job folder that the children
cannot open (protocol.py).
"""
from __future__ import annotations

import gc
import json
import os
import resource
import select
import signal
import sys
import time
from dataclasses import dataclass, field

from autograder.runner import protocol
from autograder.runner.isolation import Sandbox, sandbox_available
from autograder.runner.measured import MeasuredResults, write_verified
from autograder.runner.sandbox_users import SandboxUsers

PRELOAD = ("numpy", "tensorflow", "keras", "IPython", "matplotlib")
MAX_PROCESSES = 256
MAX_FILE_BYTES = 512 * 1024 * 1024


def preload() -> None:
    import importlib
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    import IPython.core.interactiveshell  # noqa: F401 - what the runner builds on, before isolation

    import autograder.hidden  # noqa: F401
    import autograder.runner.cells  # noqa: F401
    import autograder.runner.verify  # noqa: F401


def _limits(memory_mb: int) -> None:
    memory = int(memory_mb) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_FILE_BYTES, MAX_FILE_BYTES))
    resource.setrlimit(resource.RLIMIT_NPROC, (MAX_PROCESSES, MAX_PROCESSES))


def _detach(frames_fd: int) -> protocol.FrameWriter:
    """Common start of both children: own process group, no protocol pipes on 0-2."""
    os.setsid()  # the zygote kills the whole group at the end
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):  # the protocol pipes are not the student's to write to
        os.dup2(devnull, fd)
    return protocol.FrameWriter(frames_fd)


def notebook_child(request: protocol.Request, sandbox: Sandbox, uid: int | None, frames_fd: int) -> None:
    """In the forked child: isolate, limit, say "ready", run the notebook as `uid` (None: as
    we are), exit. Never returns."""
    code = protocol.ChildExit.OK
    writer = None
    try:
        writer = _detach(frames_fd)
        from autograder import course, hidden
        from autograder.runner.cells import NotebookRunner
        from autograder.runner.recording import StreamRecorder

        sandbox.enter(request, uid, writable=[request.work_dir])
        os.chdir(request.work_dir)
        os.environ["HOME"] = request.work_dir
        os.environ[course.COURSE_ROOT_ENV] = request.course_root
        _limits(request.memory_mb)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        with open(request.cells_path, encoding="utf-8") as f:
            cells = json.load(f)
        recorder = StreamRecorder(writer)
        runner = NotebookRunner(os.path.join(request.job_dir, protocol.JOURNAL), request.work_dir,
                                float(request.cell_timeout), int(request.output_limit), recorder)
        hidden.install_recorder(recorder)
    except BaseException as exc:  # noqa: BLE001 - no student code has run: the grader's problem
        code = protocol.ChildExit.SETUP_FAILED
        try:
            if writer is not None:
                writer.setup_failed(f"{type(exc).__name__}: {exc}")
        except BaseException:  # noqa: BLE001
            pass
        os._exit(code)
    try:
        writer.ready()
        runner.run(cells)
    except BaseException:  # noqa: BLE001 - whatever the notebook did, the child ends here
        code = 1
    finally:
        os._exit(code)


def verifier_child(request: protocol.Request, sandbox: Sandbox, uid: int | None, frames_fd: int) -> None:
    """In a child forked after the notebook's child ended (it ran no student code): measure
    the checks of `request.measured` from what the notebook exported. Never returns."""
    code = protocol.ChildExit.OK
    try:
        writer = _detach(frames_fd)
        from autograder.runner.verify import Verifier
        verifier = Verifier(request)  # reads the record stream and the probes as root, before isolation
        sandbox.enter(request, uid, writable=[], with_job=False)
        _limits(request.memory_mb)
        writer.ready()
        verifier.run(writer)
    except BaseException:  # noqa: BLE001
        code = protocol.ChildExit.SETUP_FAILED
    finally:
        os._exit(code)


@dataclass
class _Phase:
    """One running child of a request and where its frames go."""

    pid: int
    uid: int | None
    started: float
    deadline: float
    pipe: int
    sink: int  # the stream file in the job folder (root-owned, 0600)
    written: int = 0
    exit_fd: int | None = None  # a pidfd that becomes readable when the child exits


@dataclass
class _Request:
    request: protocol.Request
    phase: _Phase
    verifying: bool = False
    event: dict = field(default_factory=dict)
    measured_keys: dict = field(default_factory=dict)  # under which its verifier's results are kept


class Zygote:
    def __init__(self):
        self.users = SandboxUsers()
        self.sandbox = Sandbox.prepare()
        self.sandbox.active = self.sandboxed = sandbox_available(self.sandbox, self.users)
        self.running: dict[int, _Request] = {}  # pid -> request
        self.measured = MeasuredResults()
        self.out = sys.stdout

    def emit(self, event: dict) -> None:
        self.out.write(json.dumps(event) + "\n")
        self.out.flush()

    def _start(self, request: protocol.Request, verify: bool) -> _Phase:
        uid = self.users.acquire() if self.sandboxed else None
        name = protocol.VERIFIED if verify else protocol.RECORDS
        sink = os.open(os.path.join(request.job_dir, name),
                       os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        read_end, write_end = os.pipe2(os.O_CLOEXEC)
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            os.close(sink)
            for fd in [*(p.phase.pipe for p in self.running.values()), *(p.phase.sink for p in self.running.values()),
                       *(p.phase.exit_fd for p in self.running.values() if p.phase.exit_fd is not None),
                       *self.users.descriptors()]:
                os.close(fd)  # not the notebook's
            (verifier_child if verify else notebook_child)(request, self.sandbox, uid, write_end)
        os.close(write_end)
        os.set_blocking(read_end, False)
        now = time.monotonic()
        timeout = float(request.verify_timeout if verify else request.wall_timeout)
        phase = _Phase(pid, uid, now, now + timeout, read_end, sink)
        try:
            phase.exit_fd = os.pidfd_open(pid)
        except (AttributeError, OSError):  # before Linux 5.3: polled instead
            pass
        return phase

    def submit(self, line: bytes) -> None:
        request = protocol.Request.from_json(line)
        phase = self._start(request, verify=False)
        self.running[phase.pid] = _Request(request, phase)

    def _drain(self, phase: _Phase) -> bool:
        """Append what the pipe holds to the stream file; False at end of file."""
        while True:
            try:
                chunk = os.read(phase.pipe, 1 << 16)
            except BlockingIOError:
                return True
            if not chunk:
                return False
            room = protocol.MAX_STREAM_BYTES - phase.written
            if room > 0:
                os.write(phase.sink, chunk[:room])
                phase.written += min(room, len(chunk))

    def _ended(self, job: _Request, status: int, usage) -> None:
        phase = job.phase
        _kill_group(phase.pid)  # anything the notebook left behind
        if phase.uid is not None:
            self.users.release(phase.uid)  # also what left the group with setsid()
        self._drain(phase)
        for fd in (phase.pipe, phase.sink) + ((phase.exit_fd,) if phase.exit_fd is not None else ()):
            os.close(fd)
        now = time.monotonic()
        outcome = {"seconds": round(now - phase.started, 3), "max_rss_kb": usage.ru_maxrss}
        if now > phase.deadline:
            outcome["status"] = "timeout"
        elif os.WIFSIGNALED(status):
            outcome.update(status="signaled", signal=os.WTERMSIG(status))
        else:
            outcome.update(status="exited", code=os.WEXITSTATUS(status))
        if job.verifying:
            job.event["verify"] = outcome
            if outcome.get("status") == "exited" and outcome.get("code") == protocol.ChildExit.OK:
                try:
                    self.measured.keep(job.measured_keys, os.path.join(job.request.job_dir, protocol.VERIFIED))
                except Exception:  # noqa: BLE001 - keeping is a saving: without it the next one is measured
                    pass
            self.emit(job.event)
            return
        job.event = {"id": job.request.id, **outcome}
        if job.request.measured:
            try:
                kept, job.measured_keys = self.measured.answer(job.request,
                                                               os.path.join(job.request.job_dir, protocol.RECORDS))
            except Exception:  # noqa: BLE001 - a saving only: the verifier measures as always
                kept = None
            if kept is not None:  # every result measured before: no verifier
                write_verified(job.request.job_dir, kept)
                job.event["verify"] = {"seconds": 0.0, "status": "exited", "code": 0, "kept": True}
                self.emit(job.event)
                return
            job.verifying = True
            job.phase = self._start(job.request, verify=True)
            self.running[job.phase.pid] = job
        else:
            self.emit(job.event)

    def abort(self) -> None:
        """SIGTERM from the grading process (its batch stopped): end every running child now."""
        for pid, job in self.running.items():
            _kill_group(pid)
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
            if job.phase.uid is not None:
                self.users.release(job.phase.uid)
        self.running.clear()

    def serve(self) -> None:
        inbox = sys.stdin.buffer
        pending = b""
        stdin_open = True
        stopping = []
        signal.signal(signal.SIGTERM, lambda signum, frame: stopping.append(signum))
        while (stdin_open or self.running) and not stopping:
            phases = [job.phase for job in self.running.values()]
            polled = any(p.exit_fd is None for p in phases)
            waiting = ([inbox] if stdin_open else []) + [p.pipe for p in phases] + \
                      [p.exit_fd for p in phases if p.exit_fd is not None]
            ready, _, _ = select.select(waiting, [], [], 0.05 if polled else 0.5)
            if inbox in ready:
                chunk = os.read(inbox.fileno(), 65536)
                if not chunk:
                    stdin_open = False
                pending += chunk
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    self.submit(line)
            for phase in phases:
                if phase.pipe in ready:
                    self._drain(phase)
            now = time.monotonic()
            for pid, job in list(self.running.items()):
                if now > job.phase.deadline:
                    _kill_group(pid)
            while self.running:
                try:
                    pid, status, usage = os.wait4(-1, os.WNOHANG)
                except ChildProcessError:
                    break
                if pid == 0:
                    break
                job = self.running.pop(pid, None)
                if job is not None:
                    self._ended(job, status, usage)
        if stopping:
            self.abort()


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def warm_tracebacks() -> None:
    """Fill what IPython's first traceback would fill in every child. IPython formats a cell's
    exception with stack_data, which asks inspect.getmodule for each frame's module; the first
    time getmodule meets a file it does not know, it takes the real path of every loaded
    module's file (TensorFlow brings about 4,000): 0.17 s in each child whose cell raised,
    which is nearly every wrong, blank or half-finished submission. Done once here, every child
    inherits inspect's cache."""
    import inspect

    try:
        import stack_data  # noqa: F401 - IPython's traceback formatter imports it on first use
    except ImportError:
        pass
    inspect.getmodule(compile("0", "<autograder-zygote>", "eval"))


def freeze_preloaded() -> None:
    """Move everything preloaded out of the garbage collector's reach (gc.freeze). A child's
    full collection would otherwise walk TensorFlow's ~400,000 objects: about 0.2 s of CPU
    each time, and a write to each object's header that turns ~100 MB of pages shared with
    the zygote into the child's own copy."""
    gc.collect()
    gc.freeze()


def serve() -> None:
    # The collector paused while TensorFlow's ~400,000 objects are created: each generation-2
    # pass of the import would walk all those made so far (0.7 s of a 2.9 s import). The full
    # collection in freeze_preloaded frees whatever cycles the import left.
    gc.disable()
    preload()
    warm_tracebacks()
    freeze_preloaded()
    gc.enable()
    Zygote().serve()


if __name__ == "__main__":
    serve()
