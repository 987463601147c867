"""Everything that crosses between the grading process and a notebook's child, in one place.

The grading process asks the zygote (runner/zygote.py) to run a *request*; the zygote forks
a child that runs the notebook (student code) and, for checks with `measure`, a verifier
child that runs none. Back come:

* the *event*: how the children ended, from the zygote, which runs no student code (trusted);
* the *journal* `work/.journal.jsonl`: one JSON line per cell, written by the child;
* the *record stream* `records.stream` (and `verified.stream` from the verifier): frames the
  child writes to a pipe whose other end is the zygote, which appends them to a file in the
  job folder that the child cannot open. A frame cannot be changed once written: nothing the
  notebook does after a hidden check ran can rewrite what that check recorded. The first
  frame is written before any student code runs: the child is ready, or says why it could not
  start. After it, each hidden check's outputs; the first frame of a check is the one judged.

Whatever the child wrote is untrusted data: the grading process reads it only as regular
files inside the job folder, opened without following links, with caps on sizes and counts
checked before anything is allocated, and arrays only of plain numeric, boolean or text types.
"""
from __future__ import annotations

import io
import json
import math
import os
import stat
import struct
import zipfile
from dataclasses import asdict, dataclass, field, fields
from enum import IntEnum
from typing import Any

import numpy as np

# -- names and limits ------------------------------------------------------------------------

JOURNAL = os.path.join("work", ".journal.jsonl")
RECORDS = "records.stream"
VERIFIED = "verified.stream"
MAX_JOURNAL_BYTES = 16 * 1024 * 1024
MAX_STREAM_BYTES = 64 * 1024 * 1024  # the zygote stops appending beyond this
MAX_FRAMES = 4096
MAX_HEADER_BYTES = 64 * 1024
MAX_ENTRIES = 256  # arrays in one record
MAX_ARRAY_BYTES = 32 * 1024 * 1024
MAX_RECORD_ARRAY_BYTES = 64 * 1024 * 1024
MAX_NPY_HEADER = 4096
PLAIN_KINDS = "biufU"


class ChildExit(IntEnum):
    """Exit statuses of the children besides the notebook's own (0, or what the student's
    code passed to sys.exit / os._exit)."""

    OK = 0
    SETUP_FAILED = 70  # isolation, limits or the runner could not be set up; the first frame says why


class UnreadableResult(ValueError):
    """What a child left in its job folder cannot be read as a result; the message says why
    and is safe to show."""


# -- requests and events ---------------------------------------------------------------------

class _JsonLine:
    """A dataclass sent as one JSON line; unknown keys are ignored, missing ones take defaults."""

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, line: str | bytes):
        data = json.loads(line)
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


@dataclass
class Request(_JsonLine):
    """One notebook to run (paths are the job folder's, as the zygote sees them)."""

    id: str
    job_dir: str
    cells_path: str
    work_dir: str
    course_root: str  # the private course copy the child sees (probes, no references)
    wall_timeout: float
    cell_timeout: float
    memory_mb: int
    output_limit: int
    hide: str = ""  # the real course directory, hidden from the child where possible
    measured: list[list] = field(default_factory=list)  # [check, test cell index] a verifier measures afterwards
    verify_timeout: float = 300.0


@dataclass
class Event(_JsonLine):
    """How a request ended. status: exited | signaled | timeout (the notebook's child) or lost
    (a Dask worker that kept dying). `verify` is the verifier's own status when one ran."""

    id: str
    status: str
    code: int | None = None
    signal: int | None = None
    seconds: float = 0.0
    max_rss_kb: int = 0
    reason: str = ""
    verify: dict[str, Any] | None = None


# -- frames: written by the children, appended by the zygote -------------------------------

_MAGIC = b"AGF1"
_HEAD = struct.Struct("<4sIQ")  # magic, header length, payload length


@dataclass
class Frame:
    kind: str  # ready | setup-failed | record
    header: dict
    payload: bytes = b""

    @property
    def check(self) -> str:
        return str(self.header.get("check", ""))


def frame_bytes(kind: str, payload: bytes = b"", **header: Any) -> bytes:
    head = json.dumps({"kind": kind, **header}).encode()
    return _HEAD.pack(_MAGIC, len(head), len(payload)) + head + payload


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class FrameWriter:
    """The child's end of a frame pipe (a file descriptor)."""

    def __init__(self, fd: int):
        self.fd = fd

    def write(self, kind: str, payload: bytes = b"", **header: Any) -> None:
        write_all(self.fd, frame_bytes(kind, payload, **header))

    def ready(self) -> None:
        self.write("ready")

    def setup_failed(self, message: str) -> None:
        self.write("setup-failed", message=message[:2000])

    def record(self, check: str, cell: int | None, outputs: dict[str, np.ndarray], exports: bytes = b"") -> None:
        arrays = npz_bytes(outputs)
        self.write("record", arrays + exports, check=check, cell=cell, arrays=len(arrays))


def parse_frames(data: bytes) -> tuple[list[Frame], str | None]:
    """The frames of a stream, and what was wrong with the rest of it (None: nothing). Reading
    stops at the first malformed frame; the frames before it stand."""
    frames: list[Frame] = []
    offset = 0
    while offset < len(data):
        if len(frames) >= MAX_FRAMES:
            return frames, f"more than {MAX_FRAMES} frames"
        if len(data) - offset < _HEAD.size:
            return frames, "a truncated frame"
        magic, head_len, payload_len = _HEAD.unpack_from(data, offset)
        if magic != _MAGIC or head_len > MAX_HEADER_BYTES:
            return frames, "a malformed frame"
        start = offset + _HEAD.size
        end = start + head_len + payload_len
        if end > len(data):
            return frames, "a truncated frame"
        try:
            header = json.loads(data[start:start + head_len])
        except (ValueError, RecursionError):
            return frames, "a malformed frame header"
        if not isinstance(header, dict) or not isinstance(header.get("kind"), str):
            return frames, "a malformed frame header"
        frames.append(Frame(header["kind"], header, data[start + head_len:end]))
        offset = end
    return frames, None


@dataclass
class RecordStream:
    """What a record stream says: whether the child got ready (or why not), and the first
    record of each check in each cell (a record made in another cell than the test cell that
    calls the check is not that cell's record)."""

    ready: bool = False
    setup_error: str | None = None
    records: dict[tuple[str, int | None], Frame] = field(default_factory=dict)
    problem: str | None = None

    def has(self, check: str, cell: int | None) -> bool:
        return (check, cell) in self.records

    def outputs(self, check: str, cell: int | None) -> dict[str, np.ndarray] | None:
        """The check's recorded arrays; None when it recorded nothing there. UnreadableResult
        when the record is not plain arrays within the limits."""
        frame = self.records.get((check, cell))
        if frame is None:
            return None
        return parse_npz(frame.payload[:self._split(frame)])

    def exports(self, check: str, cell: int | None) -> bytes:
        frame = self.records.get((check, cell))
        return b"" if frame is None else frame.payload[self._split(frame):]

    @staticmethod
    def _split(frame: Frame) -> int:
        size = frame.header.get("arrays")
        if type(size) is not int or not 0 <= size <= len(frame.payload):
            raise UnreadableResult("the record's layout is invalid")
        return size


def read_stream(data: bytes) -> RecordStream:
    frames, problem = parse_frames(data)
    stream = RecordStream(problem=problem)
    if not frames:
        return stream
    first = frames[0]
    if first.kind == "setup-failed":
        stream.setup_error = str(first.header.get("message", "unknown reason"))[:2000]
        return stream
    stream.ready = first.kind == "ready"
    for frame in frames[1:] if stream.ready else []:
        cell = frame.header.get("cell")
        if frame.kind == "record" and frame.check and (cell is None or type(cell) is int):
            stream.records.setdefault((frame.check, cell), frame)
    return stream


# -- reading the job folder without following links ----------------------------------------

def open_job_dir(path: str | os.PathLike) -> int:
    """A descriptor of the job folder itself (created by the grading process, so its path is
    trusted); everything inside is opened relative to it."""
    return os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)


def read_job_file(dir_fd: int, relative: str, cap: int) -> bytes | None:
    """The bytes of a regular file inside the job folder, or None when there is none. Every
    component is opened without following links; a link (symbolic or hard), FIFO, device or
    folder in the file's place, or a file above `cap` bytes, raises UnreadableResult."""
    parts = [p for p in relative.split("/") if p]
    fds = []
    try:
        current = dir_fd
        for part in parts[:-1]:
            try:
                current = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=current)
            except FileNotFoundError:
                return None
            except OSError as exc:
                raise UnreadableResult(f"{relative}: {part} is not a folder ({exc.strerror})") from None
            fds.append(current)
        try:
            fd = os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=current)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise UnreadableResult(f"{relative} cannot be opened as a file ({exc.strerror})") from None
        fds.append(fd)
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            raise UnreadableResult(f"{relative} is not a regular file of its own")
        if info.st_size > cap:
            raise UnreadableResult(f"{relative} is larger than the grader reads ({info.st_size:,} > {cap:,} bytes)")
        chunks, left = [], cap + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > cap:
            raise UnreadableResult(f"{relative} is larger than the grader reads")
        return data
    finally:
        for fd in reversed(fds):
            os.close(fd)


def read_records(dir_fd: int, name: str = RECORDS) -> RecordStream:
    data = read_job_file(dir_fd, name, MAX_STREAM_BYTES)
    return read_stream(data or b"")


# -- the journal -----------------------------------------------------------------------------

class JournalWriter:
    """The child's journal: {"start": i} before cell i runs, then its outputs when it ends."""

    def __init__(self, path: str):
        self.file = open(path, "a", encoding="utf-8")

    def start(self, index: int) -> None:
        self.file.write(json.dumps({"start": index}) + "\n")
        self.file.flush()

    def finished(self, index: int, execution_count: int | None, outputs: list[dict]) -> None:
        self.file.write(json.dumps({"index": index, "execution_count": execution_count, "outputs": outputs}) + "\n")
        self.file.flush()

    def close(self) -> None:
        self.file.close()


@dataclass
class Journal:
    finished: dict[int, dict] = field(default_factory=dict)  # cell index -> {"execution_count", "outputs"}
    started: int | None = None  # a cell that started and never finished


def parse_journal(data: bytes) -> Journal:
    """The journal's cells; lines that are not a well-formed entry are skipped."""
    journal = Journal()
    for raw in data.splitlines():
        try:
            entry = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        if not isinstance(entry, dict):
            continue
        start, index = entry.get("start"), entry.get("index")
        if type(start) is int and start >= 0:
            journal.started = start
        elif type(index) is int and index >= 0 and isinstance(entry.get("outputs"), list):
            count = entry.get("execution_count")
            journal.finished[index] = {"execution_count": count if type(count) is int and count >= 0 else None,
                                       "outputs": entry["outputs"]}
            if journal.started == index:
                journal.started = None
    return journal


def read_journal(dir_fd: int) -> Journal:
    return parse_journal(read_job_file(dir_fd, JOURNAL, MAX_JOURNAL_BYTES) or b"")


# -- plain arrays as .npz ----------------------------------------------------------------------

def npz_bytes(outputs: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **{k: np.asarray(v) for k, v in outputs.items()})
    return buffer.getvalue()


def parse_npz(data: bytes) -> dict[str, np.ndarray]:
    """Arrays from .npz bytes written by untrusted code. Refused (UnreadableResult) unless every
    entry is a .npy array of a plain numeric, boolean or fixed-width text dtype, with counts and
    sizes (claimed and actual) within the limits; nothing is allocated before the header's
    claim has been checked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise UnreadableResult(f"the record is not an archive of arrays ({type(exc).__name__})") from None
    if len(infos) > MAX_ENTRIES:
        raise UnreadableResult(f"the record holds more than {MAX_ENTRIES} arrays")
    arrays: dict[str, np.ndarray] = {}
    total = 0
    for info in infos:
        if not info.filename.endswith(".npy") or info.is_dir():
            raise UnreadableResult("the record holds something that is not an array")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UnreadableResult("the record uses an unsupported compression")
        if info.file_size > MAX_ARRAY_BYTES + MAX_NPY_HEADER:
            raise UnreadableResult(f"an array of the record is larger than {MAX_ARRAY_BYTES:,} bytes")
        total += info.file_size
        if total > MAX_RECORD_ARRAY_BYTES:
            raise UnreadableResult(f"the record's arrays are larger than {MAX_RECORD_ARRAY_BYTES:,} bytes")
        name = info.filename[:-len(".npy")]
        if name in arrays:
            raise UnreadableResult("the record names an array twice")
        try:
            with archive.open(info) as member:
                raw = member.read(MAX_ARRAY_BYTES + MAX_NPY_HEADER + 1)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            raise UnreadableResult(f"an array of the record cannot be read ({type(exc).__name__})") from None
        arrays[name] = parse_npy(raw)
    return arrays


def parse_npy(raw: bytes) -> np.ndarray:
    """One .npy array; see parse_npz."""
    stream = io.BytesIO(raw)
    try:
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(stream, max_header_size=MAX_NPY_HEADER)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(stream, max_header_size=MAX_NPY_HEADER)
        else:
            raise UnreadableResult("an array of the record has an unsupported format version")
    except UnreadableResult:
        raise
    except Exception as exc:  # noqa: BLE001 - numpy's header parser raises many types on hostile text
        raise UnreadableResult(f"an array header of the record is invalid ({type(exc).__name__})") from None
    if (dtype.hasobject or dtype.names is not None or dtype.subdtype is not None
            or dtype.kind not in PLAIN_KINDS or dtype.itemsize == 0):
        raise UnreadableResult(f"an array of the record has a dtype the grader does not read ({dtype.str})")
    if not isinstance(shape, tuple) or len(shape) > 32 or not all(type(d) is int and d >= 0 for d in shape):
        raise UnreadableResult("an array header of the record claims an invalid shape")
    count = math.prod(shape)
    nbytes = count * dtype.itemsize
    if nbytes > MAX_ARRAY_BYTES:
        raise UnreadableResult(f"an array header of the record claims {nbytes:,} bytes, more than the grader reads")
    body = raw[stream.tell():]
    if len(body) != nbytes:
        raise UnreadableResult("an array of the record is shorter or longer than its header says")
    flat = np.frombuffer(body, dtype=dtype, count=count)
    array = flat.reshape(shape[::-1]).T if fortran else flat.reshape(shape)
    return np.array(array, dtype=dtype.newbyteorder("="), copy=True)
