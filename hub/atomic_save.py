"""Notebook saves that a read at the same moment cannot undo: the contents manager of the
course hub's servers (every user's own server and the formgrader service).

jupyter_server's default save copies the notebook to `.~<name>`, truncates the notebook and
writes the new version in place. A read that lands in between (a second browser tab, the test
of the hub polling the saved file, any client of the contents API) finds half a notebook,
moves it aside as `<name>.invalid` and renames the copy back; the save then finishes into the
file moved aside. The student is told the save succeeded while the notebook holds the old
version, or, when the save removed its copy first, the notebook is gone ("File Save Error ...
404", seen in the hub's end-to-end test). A copy taken during the write (nbgrader's Submit
copies the assignment folder) is half a notebook as well.

Here a save writes a new file beside the notebook and renames it over the notebook once it is
complete and on disk: every reader sees the whole old version or the whole new one.
"""
from __future__ import annotations

import os
import stat
import tempfile
from contextlib import contextmanager, suppress

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# read once, at import (server start, one thread): os.umask cannot be read without setting it
NEW_FILE_MODE = 0o666 & ~_umask()


class RenameOnSaveContentsManager(AsyncLargeFileManager):
    """jupyter_server's default contents manager, saving by write-then-rename."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.log.info("Notebooks are saved by write-then-rename (hub/atomic_save.py)")

    @contextmanager
    def atomic_writing(self, os_path, text=True, encoding="utf-8", **kwargs):
        with self.perm_to_403(os_path):
            target = os.path.realpath(os_path)  # a symlinked notebook: replace what it points to
            directory = os.path.dirname(target)
            if not os.access(directory, os.W_OK):
                # no new file can be made beside it: jupyter_server's own in-place write
                with super().atomic_writing(os_path, text=text, encoding=encoding, **kwargs) as f:
                    yield f
                return
            # hidden, and not ending in .ipynb: a file left by a crash is no notebook to submit or grade
            fd, tmp = tempfile.mkstemp(prefix=f".~saving-{os.path.basename(target)}-", dir=directory)
            try:
                if text:
                    fileobj = open(fd, "w", encoding=encoding, newline=kwargs.pop("newline", "\n"), **kwargs)
                else:
                    fileobj = open(fd, "wb", **kwargs)
                with fileobj:
                    os.fchmod(fd, stat.S_IMODE(os.stat(target).st_mode) if os.path.exists(target) else NEW_FILE_MODE)
                    yield fileobj
                    fileobj.flush()
                    os.fsync(fd)
                os.replace(tmp, target)
            except BaseException:
                with suppress(FileNotFoundError):
                    os.unlink(tmp)
                raise
