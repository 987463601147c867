"""Recorders: what check() does in a process that records instead of judging.

* `StreamRecorder` (the batch grader's child): each check's outputs become one frame on the
  pipe to the zygote (protocol.py), written the moment the probe returns; the exports of a
  check with `measure` travel in the same frame, and the verifier measures them later, in a
  process that ran no student code.
* `FileRecorder` (reference recording, tests): each check's outputs, measured in this process,
  go to `<directory>/<assignment>.<check>.npz`, and the probe's run time to `<...>.seconds`.
"""
from __future__ import annotations

import io
import os
import tarfile
import tempfile
import time
from pathlib import Path

import numpy as np

from .. import course
from ..hidden import CheckFailed, lookup
from ..probe import ERROR_KEY, probe_and_measure, run_probe
from .protocol import FrameWriter


def _contents_only(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """A member that says nothing of when or by whom it was written (each notebook's child
    runs as a user of its own): the same export packs to the same bytes (measured.py)."""
    info.mtime, info.uid, info.gid, info.uname, info.gname, info.mode = 0, 0, 0, "", "", 0o644
    return info


def pack_exports(folder: Path) -> bytes:
    """An uncompressed tar of what a probe exported (regular files only, in name order)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and not path.is_symlink():
                tar.add(path, arcname=str(path.relative_to(folder)), recursive=False, filter=_contents_only)
    return buffer.getvalue()


class StreamRecorder:
    def __init__(self, writer: FrameWriter, root: Path | None = None):
        self.writer = writer
        self.root = root
        self.current_cell: int | None = None

    def run(self, qualified: str, objects: tuple) -> None:
        spec = lookup(qualified, self.root or course.find_course_root())
        exports = b""
        with tempfile.TemporaryDirectory(prefix="autograder-export-") as folder:
            try:
                outputs = run_probe(spec, objects, Path(folder) if spec.measure else None)
                if spec.measure:
                    exports = pack_exports(Path(folder))
            except CheckFailed as failure:
                outputs = {ERROR_KEY: np.array(str(failure))}
        self.writer.record(qualified, self.current_cell, outputs, exports)


SECONDS_SUFFIX = ".seconds"  # beside each check's outputs: how long its probe took


class FileRecorder:
    def __init__(self, directory: str | Path, root: Path | None = None):
        self.directory = Path(directory)
        self.root = root

    def run(self, qualified: str, objects: tuple) -> None:
        spec = lookup(qualified, self.root or course.find_course_root())
        self.directory.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        try:
            outputs = probe_and_measure(spec, objects)
        except CheckFailed as failure:
            outputs = {ERROR_KEY: np.array(str(failure))}
        seconds = time.perf_counter() - started
        save_outputs(self.directory / f"{qualified}.npz", outputs)
        (self.directory / f"{qualified}{SECONDS_SUFFIX}").write_text(f"{seconds:.6f}")


def save_outputs(path: Path, outputs: dict) -> None:
    partial = Path(f"{path}.partial.npz")
    np.savez(partial, **{k: np.asarray(v) for k, v in outputs.items()})
    os.replace(partial, path)


def load_outputs(path: Path) -> dict[str, np.ndarray]:
    """A FileRecorder's file (written by trusted code: the solution's kernel or a test)."""
    with np.load(path, allow_pickle=False) as data:
        return {key: data[key] for key in data.files}
