"""Measured results the zygote keeps for its life: a check's measure computes only from what
the notebook exported (arrays, files) with the check's own code, so a later notebook that
exported exactly the same for the same check, with the same checks.py, gets the result the
verifier wrote before instead of a new verifier (training_loop's measure trains three models
on the student's two learning rates; most students and the reference solution give the same).

Only results of a verifier that exited cleanly are kept, and only those that are not an error
(an error can come from the verifier's memory or time limit, not from the export). A notebook
whose measured checks recorded nothing gets the verifier's empty answer without a verifier."""
from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from pathlib import Path

from .. import course
from ..hidden import split_name
from ..probe import ERROR_KEY
from . import protocol

MAX_RESULTS = 1024  # results kept; the oldest go first
MAX_KEPT_BYTES = 1024 * 1024  # a larger result is measured again each time


class MeasuredResults:
    def __init__(self):
        self.results: OrderedDict[str, bytes] = OrderedDict()  # key -> the verifier's record payload
        self._checks_digests: dict[str, str] = {}

    def _checks_digest(self, course_root: str, assignment: str) -> str:
        path = course.checks_path(Path(course_root), assignment)
        stat = path.stat()
        cache_key = f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}"
        if cache_key not in self._checks_digests:
            self._checks_digests[cache_key] = hashlib.sha256(path.read_bytes()).hexdigest()
        return self._checks_digests[cache_key]

    def keys(self, request: protocol.Request, records: protocol.RecordStream) -> dict[tuple[str, int], str] | None:
        """{(check, cell): key} of the measured checks this notebook recorded; None when the
        stream or a checks.py cannot be read (then the verifier runs, as always)."""
        try:
            keys = {}
            for check, cell in request.measured:
                frame = records.records.get((str(check), int(cell)))
                if frame is None:
                    continue
                assignment, _ = split_name(str(check))
                digest = hashlib.sha256()
                for part in (str(check).encode(), self._checks_digest(request.course_root, assignment).encode()):
                    digest.update(part + b"\0")
                digest.update(frame.payload)
                keys[(str(check), int(cell))] = digest.hexdigest()
            return keys
        except (OSError, ValueError, TypeError):
            return None

    def answer(self, request: protocol.Request, records_path: str) -> tuple[bytes | None, dict]:
        """The whole verified stream when every measured result is kept (or nothing was recorded
        to measure), else None; and the keys to keep the verifier's results under."""
        try:
            records = protocol.read_stream(_read(records_path))
        except OSError:
            return None, {}
        keys = self.keys(request, records) if records.ready else {}
        if keys is None:
            return None, {}
        if not all(key in self.results for key in keys.values()):
            return None, keys
        stream = protocol.frame_bytes("ready")
        for (check, cell), key in keys.items():
            self.results.move_to_end(key)
            payload = self.results[key]  # a verifier's record: arrays only, no exported files
            stream += protocol.frame_bytes("record", payload, check=check, cell=cell, arrays=len(payload))
        return stream, keys

    def keep(self, keys: dict, verified_path: str) -> None:
        """Keep the results a verifier that exited cleanly wrote (not its errors)."""
        if not keys:
            return
        try:
            verified = protocol.read_stream(_read(verified_path))
        except OSError:
            return
        for (check, cell), key in keys.items():
            frame = verified.records.get((check, cell))
            if frame is None or frame.header.get("arrays") != len(frame.payload) or len(frame.payload) > MAX_KEPT_BYTES:
                continue
            try:
                outputs = protocol.parse_npz(frame.payload)
            except protocol.UnreadableResult:
                continue
            if ERROR_KEY in outputs:
                continue
            self.results[key] = frame.payload
            self.results.move_to_end(key)
            while len(self.results) > MAX_RESULTS:
                self.results.popitem(last=False)


def _read(path: str) -> bytes:
    """A stream file the zygote wrote (no link followed, no more than a stream's cap)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as f:
        return f.read(protocol.MAX_STREAM_BYTES)


def write_verified(job_dir: str, stream: bytes) -> None:
    """The verified stream of a notebook answered from kept results, written as the zygote
    writes a verifier's (root-owned, 0600, no link followed)."""
    fd = os.open(os.path.join(job_dir, protocol.VERIFIED),
                 os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        protocol.write_all(fd, stream)
    finally:
        os.close(fd)
