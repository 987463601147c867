"""One user id per running notebook, unique on the machine.

Run as root, the zygote gives each notebook a user id that no account owns and that no other
running notebook holds (nor the notebooks of another zygote on this machine, e.g. a second
Dask worker). Processes of different users cannot signal or trace each other, and a process
that changed its user id is not dumpable, so a notebook can neither kill nor read the notebook
graded next to it, and a fork bomb only exhausts its own process limit (RLIMIT_NPROC counts
per user). When a notebook ends, every process still running under its id is killed, also
those that left the process group with setsid(); only then is the id handed out again.
"""
from __future__ import annotations

import fcntl
import grp
import os
import pwd
import signal
import tempfile
from pathlib import Path

# Debian reserves 65000-65533 ("reserved", never allocated to packages or accounts); an id
# that has an account or group anyway is skipped.
FIRST_UID, LAST_UID = 65100, 65499
LOCKS = Path(tempfile.gettempdir()) / "autograder-sandbox-uids"


class NoFreeUser(RuntimeError):
    """Every sandbox user id is held by a running notebook."""


def _has_account(uid: int) -> bool:
    for lookup in (pwd.getpwuid, grp.getgrgid):
        try:
            lookup(uid)
            return True
        except KeyError:
            pass
    return False


def processes_of(uid: int) -> list[int]:
    """Pids of the processes whose real, effective or saved user id is `uid`."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/status", "rb") as f:
                for line in f:
                    if line.startswith(b"Uid:"):
                        if str(uid).encode() in line.split()[1:4]:
                            found.append(int(entry.name))
                        break
        except OSError:  # the process ended meanwhile
            continue
    return found


def kill_all(uid: int, rounds: int = 10) -> None:
    """SIGKILL every process of `uid`, again until none is left (one may fork while we scan)."""
    for _ in range(rounds):
        pids = processes_of(uid)
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


class SandboxUsers:
    """Hands out user ids, each held (an flock on a file only root can open) until released."""

    def __init__(self):
        self.held: dict[int, int] = {}  # uid -> descriptor of its lock file

    def acquire(self) -> int:
        LOCKS.mkdir(mode=0o700, exist_ok=True)
        for uid in range(FIRST_UID, LAST_UID + 1):
            if uid in self.held or _has_account(uid):
                continue
            fd = os.open(LOCKS / str(uid), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            kill_all(uid)  # what a batch that died without cleaning up may have left
            self.held[uid] = fd
            return uid
        raise NoFreeUser(f"all {LAST_UID - FIRST_UID + 1} sandbox user ids are in use")

    def release(self, uid: int) -> None:
        kill_all(uid)
        os.close(self.held.pop(uid))

    def descriptors(self) -> list[int]:
        """The lock files' descriptors, which a forked notebook must close."""
        return list(self.held.values())
