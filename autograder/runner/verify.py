"""The verifier: measures checks with `measure` from what the notebook exported, in a child
of the zygote that ran no student code (it is forked after the notebook's child has ended and
every process of the notebook's user id has been killed).

It reads the record stream and loads the probes while it is still root and not isolated, then
isolates itself like a notebook (no job folder at all, only a private /tmp), and writes each
measured check's outputs as a frame to its own pipe (protocol.py). Exported graphs are loaded
with exports.load_saved_model, which refuses ops that read or write files or call Python.
"""
from __future__ import annotations

import io
import os
import tarfile
import tempfile
from pathlib import Path

import numpy as np

from .. import hidden
from ..probe import ERROR_KEY, run_measure
from . import protocol


class Verifier:
    def __init__(self, request: protocol.Request):
        self.measured = [(str(q), int(cell)) for q, cell in request.measured]
        job = protocol.open_job_dir(request.job_dir)
        try:
            self.stream = protocol.read_records(job)
        finally:
            os.close(job)
        self.checks = {q: hidden.lookup(q, Path(request.course_root)) for q, _ in self.measured}

    def run(self, writer: protocol.FrameWriter) -> None:
        if not self.stream.ready:
            return
        for qualified, cell in self.measured:
            if self.stream.has(qualified, cell):  # else the check did not run; the judge says so
                writer.record(qualified, cell, self.measure(qualified, cell))

    def measure(self, qualified: str, cell: int) -> dict[str, np.ndarray]:
        try:
            exported = self.stream.outputs(qualified, cell)
        except protocol.UnreadableResult as exc:
            return {ERROR_KEY: np.array(f"{qualified.split('.', 1)[1]}: the grader could not read what it recorded ({exc})")}
        if ERROR_KEY in exported:
            return {ERROR_KEY: np.asarray(exported[ERROR_KEY])}
        check = self.checks[qualified]
        with tempfile.TemporaryDirectory(prefix="measure-") as folder:
            archive = b""
            try:
                archive = self.stream.exports(qualified, cell)
                if archive:
                    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:") as tar:
                        tar.extractall(folder, filter="data")
            except (tarfile.TarError, OSError, ValueError) as exc:  # UnreadableResult is a ValueError
                if archive or isinstance(exc, protocol.UnreadableResult):
                    return {ERROR_KEY: np.array(f"{check.name}: the exported files cannot be read ({type(exc).__name__})")}
            try:
                return run_measure(check, exported, Path(folder))
            except hidden.CheckFailed as failure:
                return {ERROR_KEY: np.array(str(failure))}
