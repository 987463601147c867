"""What a notebook's child sees of the machine: its own job folder, the operating system and
the Python it runs on, Keras's cache read-only, no network but loopback, under a user id of
its own. Everything else (the course, the references, the gradebook, other students' work,
/root, /home, /tmp) is covered.

`Sandbox.prepare()` runs in the zygote before any child is forked: it resolves, in the
grading machine's own view, every path the child must see (the interpreter, the virtualenv
and each sys.path folder as the grading process names them, links included, and every file
of Keras's cache as Keras itself resolves it). A child cannot resolve those links itself once
isolated, because the middle of a chain may lie in a covered folder.
`Sandbox.enter()` runs in the child: a private mount and network namespace (root only),
tmpfs over every top-level folder but the system's, the kept folders bound back read-only at
both their real path and the path the interpreter uses, Keras's files linked into a private,
writable Keras home, and finally the notebook's own user id.
"""
from __future__ import annotations

import ctypes
import fcntl
import os
import socket
import struct
import sys
from dataclasses import dataclass, field

_CLONE_NEWNS, _CLONE_NEWNET = 0x00020000, 0x40000000
_MS_RDONLY, _MS_REMOUNT, _MS_BIND, _MS_REC, _MS_PRIVATE = 1, 32, 4096, 0x4000, 1 << 18
_SIOCGIFFLAGS, _SIOCSIFFLAGS, _IFF_UP = 0x8913, 0x8914, 0x1
# Top-level folders a Python process needs as they are; every other one is covered.
SYSTEM_DIRS = {"usr", "lib", "lib32", "lib64", "libx32", "bin", "sbin", "etc", "proc", "sys", "dev", "run"}
PRIVATE_KERAS_HOME = "/tmp/.keras"
MAX_KERAS_FILES = 10_000


class IsolationFailed(OSError):
    """The child could not be isolated (the message names the step)."""


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _mount(libc, source: bytes | None, target: str, fstype: bytes | None, flags: int, data: bytes | None) -> None:
    if libc.mount(source, target.encode(), fstype, flags, data) != 0:
        raise IsolationFailed(ctypes.get_errno(), f"cannot isolate the notebook: mount {target}")


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _keras_home() -> str | None:
    """The folder Keras reads its cache from in this process (KERAS_HOME, or ~/.keras, as
    Keras resolved it when it was imported)."""
    try:
        from keras.src.backend import config
    except ImportError:
        return None
    home = os.path.expanduser(config.keras_home())
    return home if os.path.isdir(home) else None


@dataclass
class Sandbox:
    keep: list[tuple[str, str]] = field(default_factory=list)  # (real folder, where the child sees it)
    keras_files: dict[str, str] = field(default_factory=dict)  # path under the Keras home -> real file
    root: bool = False
    active: bool = False  # isolation works here (sandbox_available); else children run as we do

    @classmethod
    def prepare(cls) -> "Sandbox":
        import autograder
        sandbox = cls(root=os.getuid() == 0)
        wanted = [sys.prefix, sys.base_prefix, os.path.dirname(autograder.__file__)]
        wanted += [p for p in sys.path if p and os.path.isabs(p)]
        home = _keras_home()
        if home:
            for folder, dirs, files in os.walk(home, followlinks=True):
                for name in files:
                    path = os.path.join(folder, name)
                    real = os.path.realpath(path)
                    if os.path.isfile(real) and len(sandbox.keras_files) < MAX_KERAS_FILES:
                        sandbox.keras_files[os.path.relpath(path, home)] = real
                        wanted.append(os.path.dirname(real))
        pairs = set()
        for path in wanted:
            if os.path.isdir(path) and os.path.abspath(path) != "/":
                real = os.path.realpath(path)
                pairs |= {(real, os.path.abspath(path)), (real, real)}
        sandbox.keep = sorted(pairs, key=lambda pair: (len(pair[1]), pair[1]))
        return sandbox

    def enter(self, request, uid: int | None, writable: list[str], with_job: bool = True) -> None:
        """Isolate this (child) process; as root, end as `uid`. Without root nothing is
        isolated and `uid` must be None."""
        if not self.active:
            if uid is not None:
                raise IsolationFailed("a sandbox user id needs isolation, which is not available here")
            return
        libc = _libc()
        if libc.unshare(_CLONE_NEWNS | _CLONE_NEWNET) != 0:
            raise IsolationFailed(ctypes.get_errno(), "cannot isolate the notebook: unshare")
        _loopback_up()
        job = os.path.realpath(request.job_dir) if with_job else None
        hide = [os.path.realpath(request.hide)] if request.hide and os.path.isdir(request.hide) else []
        self._mount_tree(libc, job, hide)
        keras_home = self._private_keras_home()
        for path in writable + ([keras_home] if keras_home else []):
            for folder, _, files in os.walk(path):
                os.lchown(folder, uid, uid)
                for name in files:
                    os.lchown(os.path.join(folder, name), uid, uid)
        if uid is not None:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)

    def _mount_tree(self, libc, job: str | None, hide: list[str]) -> None:
        covers = sorted({os.path.join("/", d) for d in os.listdir("/")
                         if d not in SYSTEM_DIRS and os.path.isdir(os.path.join("/", d))
                         and not os.path.islink(os.path.join("/", d))} | set(hide))
        covers = [c for c in covers if not any(c != o and _inside(c, o) for o in covers)]
        _mount(libc, b"none", "/", None, _MS_REC | _MS_PRIVATE, None)
        # a kept folder that holds the course (a sys.path entry such as the course folder
        # itself) would show it again: only the kept folders inside the course (a virtualenv
        # or the grading package living in the course's checkout) are bound back
        keep = _outermost([(real, target) for real, target in self.keep
                           if not any(_inside(h, target) or _inside(h, real) for h in hide)])
        binds = [(real, target, False) for real, target in keep] + ([(job, job, True)] if job else [])
        handles = [(os.open(real, os.O_PATH | os.O_CLOEXEC), target, rw) for real, target, rw in binds]
        for cover in covers:
            # a private, writable /tmp (AutoGraph writes its generated modules there)
            options = b"size=256m,mode=1777" if os.path.basename(cover) == "tmp" else b"size=4m,mode=755"
            _mount(libc, b"tmpfs", cover, b"tmpfs", 0, options)
        for fd, target, rw in handles:
            if any(_inside(target, c) for c in covers):
                os.makedirs(target, mode=0o755, exist_ok=True)
                _mount(libc, f"/proc/self/fd/{fd}".encode(), target, None, _MS_BIND | _MS_REC, None)
                if not rw:
                    _mount(libc, None, target, None, _MS_BIND | _MS_REMOUNT | _MS_RDONLY, None)
            os.close(fd)

    def _private_keras_home(self) -> str | None:
        """A writable Keras home in the private /tmp whose files link to the real ones (bound
        read-only). Keras falls back to /tmp/.keras when its home is not writable, which it is
        not for the notebook's user; without this every load_data() would be a download."""
        if not self.keras_files:
            return None
        for relative, real in self.keras_files.items():
            link = os.path.join(PRIVATE_KERAS_HOME, relative)
            os.makedirs(os.path.dirname(link), exist_ok=True)
            if not os.path.lexists(link):
                os.symlink(real, link)
        return PRIVATE_KERAS_HOME


def _outermost(keep: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (real, target) binds without those a kept parent already shows from the right
    place (`keep` sorted by target length)."""
    kept: list[tuple[str, str]] = []
    for real, target in keep:
        if not any(_inside(target, t) and os.path.join(r, os.path.relpath(target, t)) == real for r, t in kept):
            kept.append((real, target))
    return kept


def _loopback_up() -> None:
    """The new network namespace has only `lo`, down: bring it up (loopback only)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH14s", b"lo", 0, b"")
        flags = struct.unpack("16sH14s", fcntl.ioctl(sock, _SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, _SIOCSIFFLAGS, struct.pack("16sH14s", b"lo", flags | _IFF_UP, b""))


def sandbox_available(sandbox: Sandbox, users) -> bool:
    """Whether notebooks can run isolated under user ids of their own: root, namespaces
    allowed, and Python's files readable by such a user once isolated. Checked once, in a
    throwaway child."""
    if not sandbox.root:
        return False
    uid = users.acquire()
    pid = os.fork()
    if pid == 0:
        ok = False
        try:
            import tempfile
            from types import SimpleNamespace
            sandbox.active = True
            sandbox.enter(SimpleNamespace(job_dir=tempfile.gettempdir(), hide=""), uid, [], with_job=False)
            import numpy
            for path in (os.path.dirname(os.__file__), os.path.dirname(numpy.__file__)):
                os.listdir(path)
            ok = True
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    users.release(uid)
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
