"""The pre-warmed interpreter: imports TensorFlow and the course libraries once, then
forks one child per submission.

Run as `python -m autograder.runner.zygote`. It reads one JSON request per line on stdin
and writes one JSON event per line on stdout when a child ends. It never runs a TensorFlow
op itself (TensorFlow's thread pools do not survive fork) and never touches student code:
each child runs one notebook under limits and exits.

Request: {"id", "cells_path", "work_dir", "journal", "out_dir", "course_root",
          "wall_timeout", "cell_timeout", "memory_mb", "output_limit"}
Event:   {"id", "status": "exited"|"signaled"|"timeout", "code", "signal", "seconds", "max_rss_kb"}
"""
from __future__ import annotations

import json
import os
import resource
import select
import signal
import sys
import time

from autograder.runner.sandbox_users import SandboxUsers

PRELOAD = ("numpy", "tensorflow", "keras", "IPython", "matplotlib")


def preload() -> None:
    import importlib
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    import autograder.hidden  # noqa: F401
    import autograder.runner.cells  # noqa: F401


_CLONE_NEWNS, _MS_BIND, _MS_REC, _MS_PRIVATE = 0x00020000, 4096, 0x4000, 1 << 18
# Top-level folders a Python process needs as they are; every other one is covered.
SYSTEM_DIRS = {"usr", "lib", "lib32", "lib64", "libx32", "bin", "sbin", "etc", "proc", "sys", "dev", "run"}


def python_paths() -> list[str]:
    """Folders the child must still see: the interpreter, the virtualenv, this package,
    KERAS_HOME and the data its links point to."""
    import autograder
    keep = [sys.prefix, sys.base_prefix, os.path.dirname(autograder.__file__)]
    keras_home = os.environ.get("KERAS_HOME")
    if keras_home and os.path.isdir(keras_home):
        keep.append(keras_home)
        for folder, dirs, files in os.walk(keras_home):
            for name in dirs + files:
                path = os.path.join(folder, name)
                if os.path.islink(path):
                    target = os.path.realpath(path)
                    keep.append(target if os.path.isdir(target) else os.path.dirname(target))
    return keep


def isolate_filesystem(keep: list[str], hide: list[str]) -> bool:
    """In a private mount namespace, cover every top-level folder but the system ones (and
    each folder in `hide`) with an empty tmpfs, then bind back the folders in `keep`.

    The child then sees the operating system, Python and its own job folder, and nothing of
    the course (solutions, references, gradebook, other students' work), of /root, /home or
    /tmp. Returns False where mount namespaces are not allowed (not root)."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    keep = sorted({os.path.realpath(k) for k in keep if k and os.path.isdir(k)})
    covers = sorted({os.path.join("/", d) for d in os.listdir("/")
                     if d not in SYSTEM_DIRS and os.path.isdir(os.path.join("/", d))
                     and not os.path.islink(os.path.join("/", d))}
                    | {os.path.realpath(h) for h in hide if h and os.path.isdir(h)})
    covers = [c for c in covers if not any(c.startswith(o + os.sep) for o in covers)]
    if libc.unshare(_CLONE_NEWNS) != 0:
        return False  # not permitted here: nothing has changed

    def mount(source, target, fstype, flags, data):
        if libc.mount(source, target.encode(), fstype, flags, data) != 0:
            raise OSError(ctypes.get_errno(), f"cannot isolate the notebook's files: mount {target}")

    mount(b"none", "/", None, _MS_REC | _MS_PRIVATE, None)
    handles = [(path, os.open(path, os.O_PATH)) for path in keep]
    for cover in covers:
        # a private, writable /tmp (AutoGraph writes its generated modules there)
        options = b"size=256m,mode=1777" if os.path.basename(cover) == "tmp" else b"size=4m,mode=755"
        mount(b"tmpfs", cover, b"tmpfs", 0, options)
    for path, fd in handles:
        if any(path == c or path.startswith(c + os.sep) for c in covers):
            os.makedirs(path, mode=0o755, exist_ok=True)
            mount(f"/proc/self/fd/{fd}".encode(), path, None, _MS_BIND | _MS_REC, None)
        os.close(fd)
    return True


def sandbox_user_can_run_python(users: SandboxUsers) -> bool:
    """Whether a notebook can run under a user id of its own: root, mount namespaces allowed,
    and Python's files readable by that user once isolated. Checked once, in a throwaway child."""
    if os.getuid() != 0:
        return False
    uid = users.acquire()
    pid = os.fork()
    if pid == 0:
        ok = False
        try:
            if isolate_filesystem(python_paths(), []):
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
                import numpy
                for path in (os.path.dirname(os.__file__), os.path.dirname(numpy.__file__)):
                    os.listdir(path)
                ok = True
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    users.release(uid)
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def private_keras_home() -> str | None:
    """A writable Keras home in the child's private /tmp whose entries link to KERAS_HOME's.

    Keras reads KERAS_HOME once, at import (the zygote's), and `get_file` falls back to
    /tmp/.keras when that folder is not writable, which it is not for the notebook's user; without this
    copy every offline `load_data()` would become a download, and a network error."""
    source = os.environ.get("KERAS_HOME")
    if not source or not os.path.isdir(source):
        return None
    home = os.path.join("/tmp", ".keras")
    for folder, dirs, files in os.walk(source):
        relative = os.path.relpath(folder, source)
        target_folder = os.path.normpath(os.path.join(home, relative))
        os.makedirs(target_folder, exist_ok=True)
        for name in dirs + files:  # os.walk lists linked folders in dirs but does not enter them
            path = os.path.join(folder, name)
            if os.path.islink(path) or not os.path.isdir(path):
                os.symlink(os.path.realpath(path), os.path.join(target_folder, name))
    return home


def _drop_privileges(paths: list[str], uid: int | None) -> None:
    """When started as root, run the student's code under its own user id (sandbox_users):
    it cannot read files that only root may read (reference outputs), write the gradebook or
    other students' folders, or reach the notebooks running next to it."""
    if uid is None:
        return
    for path in paths:
        for folder, _, files in os.walk(path):
            os.lchown(folder, uid, uid)
            for name in files:
                os.lchown(os.path.join(folder, name), uid, uid)
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def child(request: dict, uid: int | None) -> None:
    """In the forked child: isolate, limit, run the notebook as `uid` (None: as we are),
    exit. Never returns."""
    code = 0
    try:
        os.setsid()  # its own process group: the zygote kills the whole group at the end
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # the protocol pipes are not the student's to write to
            os.dup2(devnull, fd)
        work_dir, out_dir = request["work_dir"], request["out_dir"]
        os.makedirs(out_dir, exist_ok=True)
        job_dir = os.path.dirname(os.path.realpath(work_dir))
        isolated = isolate_filesystem(python_paths() + [job_dir], [request.get("hide", "")])
        keras_home = private_keras_home() if isolated else None
        if keras_home:
            os.environ["KERAS_HOME"] = keras_home
        if uid is not None and not isolated:
            raise RuntimeError("the notebook's files could not be isolated (mount namespace refused)")
        _drop_privileges([work_dir, out_dir] + ([keras_home] if keras_home else []), uid)
        os.chdir(work_dir)
        os.environ["HOME"] = work_dir
        os.environ["AUTOGRADER_COURSE_ROOT"] = request["course_root"]
        memory = int(request["memory_mb"]) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        file_cap = 512 * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_cap, file_cap))
        nproc = 256
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
        signal.signal(signal.SIGINT, signal.default_int_handler)

        from autograder import hidden
        from autograder.runner.cells import run_cells

        hidden.use_backend(hidden.Recorder(out_dir))
        with open(request["cells_path"], encoding="utf-8") as f:
            cells = json.load(f)
        run_cells(cells, request["journal"], work_dir, float(request["cell_timeout"]),
                  int(request["output_limit"]))
    except BaseException as exc:  # noqa: BLE001 - whatever happens, the child ends here
        code = 70
        try:  # tell the grading process why (it reads the journal's "crash" line)
            with open(request["journal"], "a", encoding="utf-8") as journal:
                journal.write(json.dumps({"crash": f"{type(exc).__name__}: {exc}"[:500]}) + "\n")
        except BaseException:  # noqa: BLE001
            pass
    finally:
        os._exit(code)


def serve() -> None:
    preload()
    users = SandboxUsers()
    sandboxed = sandbox_user_can_run_python(users)
    running: dict[int, tuple[str, float, float, int | None]] = {}  # pid -> (id, started, deadline, uid)
    exits: dict[int, int] = {}  # pid -> a pidfd that becomes readable when the child exits
    inbox = sys.stdin.buffer
    pending = b""
    out = sys.stdout
    stdin_open = True

    def emit(event: dict) -> None:
        out.write(json.dumps(event) + "\n")
        out.flush()

    while stdin_open or running:
        # Wake on a request or on a child's exit; the timeout only paces the deadline checks
        # (and the exit polling where pidfds are not available).
        polled = len(exits) < len(running)
        waiting = ([inbox] if stdin_open else []) + list(exits.values())
        ready, _, _ = select.select(waiting, [], [], 0.05 if polled else 0.5)
        if inbox in ready:
            chunk = os.read(inbox.fileno(), 65536)
            if not chunk:
                stdin_open = False
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                request = json.loads(line)
                uid = users.acquire() if sandboxed else None
                pid = os.fork()
                if pid == 0:
                    for fd in [*exits.values(), *users.descriptors()]:  # not the notebook's
                        os.close(fd)
                    child(request, uid)
                now = time.monotonic()
                running[pid] = (request["id"], now, now + float(request["wall_timeout"]), uid)
                try:
                    exits[pid] = os.pidfd_open(pid)
                except (AttributeError, OSError):  # before Linux 5.3: polled instead
                    pass
        now = time.monotonic()
        for pid, (rid, started, deadline, uid) in list(running.items()):
            if now > deadline:
                _kill_group(pid)
        while running:
            try:
                pid, status, usage = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            if pid not in running:
                continue
            rid, started, deadline, uid = running.pop(pid)
            if pid in exits:
                os.close(exits.pop(pid))
            _kill_group(pid)  # anything the notebook left behind
            if uid is not None:
                users.release(uid)  # also what left the group with setsid()
            event = {"id": rid, "seconds": round(time.monotonic() - started, 3),
                     "max_rss_kb": usage.ru_maxrss}
            if time.monotonic() > deadline:
                event.update(status="timeout")
            elif os.WIFSIGNALED(status):
                event.update(status="signaled", signal=os.WTERMSIG(status))
            else:
                event.update(status="exited", code=os.WEXITSTATUS(status))
            emit(event)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


if __name__ == "__main__":
    serve()
