"""The folders a batch's notebooks run in, under the system's temporary folder, named after the
process that made them, and the sweep that removes those whose process is gone.

A batch removes its folder when it ends, whatever ends it, except what no process survives: a
grader or a Dask worker killed by the OOM killer or SIGKILL leaves its folder behind, with the
copies of the submissions it was grading and their outputs. The next batch on the machine
removes it: the name says which process made it (its pid, the start time the kernel gives that
pid, the pid namespace it lives in), so a folder whose maker still runs, or that belongs to
another container's processes, or to another user, is left alone.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

PREFIX = "autograder-work-"


def _namespace() -> str:
    try:
        return str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:
        return "0"


def _started(pid: int) -> str | None:
    """The start time of process `pid` (clock ticks since boot, /proc/<pid>/stat field 22): a
    pid reused by a later process has another one. None: no such process."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[19].decode() if len(fields) > 19 else None


def make(label: str) -> Path:
    """A new folder only its owner may enter (the submissions of other users are inside)."""
    pid = os.getpid()
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{_namespace()}-{pid}-{_started(pid)}-{label}-"))
    os.chmod(folder, 0o700)
    return folder


def maker_is_gone(folder: Path) -> bool:
    """Was `folder` made by make() in a process of this pid namespace that has ended?"""
    parts = folder.name[len(PREFIX):].split("-", 3) if folder.name.startswith(PREFIX) else []
    if len(parts) < 4 or parts[0] != _namespace() or not parts[1].isdigit():
        return False
    if _started(os.getpid()) is None:
        return False  # no /proc to tell: nothing is known to be gone
    return _started(int(parts[1])) != parts[2]


def sweep(base: Path | None = None) -> list[Path]:
    """Remove this user's work folders under `base` (the temporary folder) whose process is
    gone; returns them."""
    base = Path(base or tempfile.gettempdir())
    removed = []
    try:
        entries = list(base.glob(f"{PREFIX}*"))  # not a stat of everything else in /tmp
    except OSError:
        return removed
    for folder in entries:
        try:
            mine = folder.is_dir() and not folder.is_symlink() and folder.stat().st_uid == os.geteuid()
        except OSError:
            continue
        if mine and maker_is_gone(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed
