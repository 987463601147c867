"""The grading process's reader of what a child left behind, fuzzed (Hypothesis): journals,
record streams and arrays written by a hostile notebook. For every case the reader returns a
verdict or a typed refusal (UnreadableResult) without raising anything else, within a memory
bound, and the judge never passes a hidden check on a record that is not the right answer."""
from __future__ import annotations

import io
import json
import os
import threading
import tracemalloc
import warnings
import zipfile

import nbformat
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograder.batch.verdicts import ChildResults, apply_results
from autograder.hidden import HiddenCheck
from autograder.compare import Close, Exact
from autograder.reference_file import References
from autograder.runner import protocol

FUZZ = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
MEMORY_BOUND = 256 * 1024 * 1024

# -- building hostile bytes --------------------------------------------------------------------

DESCRS = ["<f8", ">f4", "<i8", "|b1", "<U5", "|O", "<c16", "|V8", "|S3", "<M8[s]", "[('a', '<i4')]",
          "('<f8', (2,))", "<f8'", "x", "", "<u2"]
HUGE = [0, 1, 3, 2 ** 31, 10 ** 13, 2 ** 63, -1]
STAMP = (2020, 1, 1, 0, 0, 0)  # fixed, so that a drawn archive's length does not depend on the clock


@st.composite
def npy_bytes(draw):
    descr = draw(st.sampled_from(DESCRS))
    shape = tuple(draw(st.lists(st.one_of(st.integers(0, 6), st.sampled_from(HUGE)), max_size=4)))
    fortran = draw(st.booleans())
    header = draw(st.one_of(
        st.just(f"{{'descr': {descr!r}, 'fortran_order': {fortran}, 'shape': {shape!r}, }}"),
        st.just(f"{{'descr': {descr}, 'fortran_order': {fortran}, 'shape': {shape!r}, }}"),
        st.text(max_size=80)))
    header = header + " " * (63 - len(header.encode()) % 64) + "\n"
    version = draw(st.sampled_from([b"\x01\x00", b"\x02\x00", b"\x03\x00", b"\x09\x09"]))
    size = len(header.encode()).to_bytes(2 if version == b"\x01\x00" else 4, "little")
    body = draw(st.binary(max_size=256))
    magic = draw(st.sampled_from([b"\x93NUMPY", b"\x93NUMPX", b""]))
    return magic + version + size + header.encode() + body


@st.composite
def npz_bytes(draw):
    members = draw(st.lists(st.tuples(
        st.one_of(st.sampled_from(["y.npy", "n.npy", "y.npy", "../x.npy", "dir/", "z.txt"]), st.text(max_size=10)),
        st.one_of(npy_bytes(), st.binary(max_size=64), st.just(b"\x00" * (1 << 20))),
        st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])), max_size=5))
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore")  # duplicate names are one of the cases
        for name, data, compression in members:
            if draw(st.booleans()) and data:  # an archive inside the archive
                inner = io.BytesIO()
                with zipfile.ZipFile(inner, "w") as nested:
                    nested.writestr(zipfile.ZipInfo("y.npy", STAMP), data)
                data = inner.getvalue()
            archive.writestr(zipfile.ZipInfo(name or "_", STAMP), data, compress_type=compression)
    raw = buffer.getvalue()
    if draw(st.booleans()) and raw:  # truncated or corrupted
        cut = draw(st.integers(0, len(raw)))
        raw = raw[:cut] + draw(st.binary(max_size=16))
    return raw


def zip_bomb(claimed_small: bool) -> bytes:
    """A deflated member of 200 MB of zeros; its header tells the truth or claims 10 bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("y.npy", "w", force_zip64=True) as member:
            chunk = b"\x00" * (1 << 20)
            for _ in range(200):
                member.write(chunk)
    raw = bytearray(buffer.getvalue())
    if claimed_small:  # patch the uncompressed size in both headers
        for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
            at = raw.find(signature)
            raw[at + offset:at + offset + 4] = (10).to_bytes(4, "little")
    return bytes(raw)


def frame(kind="record", payload=b"", **header) -> bytes:
    head = json.dumps({"kind": kind, **header}).encode()
    return protocol._HEAD.pack(protocol._MAGIC, len(head), len(payload)) + head + payload


@st.composite
def streams(draw):
    parts = []
    if draw(st.booleans()):
        parts.append(frame(draw(st.sampled_from(["ready", "setup-failed", "record", 7])), message="x"))
    for _ in range(draw(st.integers(0, 5))):
        arrays = draw(st.one_of(npz_bytes(), st.just(protocol.npz_bytes({"y": np.ones((3, 4)), "n": np.array(12)}))))
        cell = draw(st.one_of(st.just(3), st.integers(-2, 10), st.none(), st.text(max_size=3), st.just(3.0)))
        split = draw(st.one_of(st.just(len(arrays)), st.integers(-5, len(arrays) + 5), st.text(max_size=2)))
        parts.append(frame("record", arrays + draw(st.binary(max_size=32)), check="mini.double_values",
                           cell=cell, arrays=split))
    parts.append(draw(st.one_of(st.just(b""), st.binary(max_size=64),
                                st.just(protocol._HEAD.pack(protocol._MAGIC, 10, 2 ** 62)))))
    return b"".join(parts)


JOURNAL_LINES = st.one_of(
    st.builds(lambda i: json.dumps({"start": i}), st.integers(-3, 12)),
    st.builds(lambda i, n, o: json.dumps({"index": i, "execution_count": n, "outputs": o}),
              st.one_of(st.integers(-3, 12), st.text(max_size=2), st.floats()),
              st.one_of(st.integers(), st.none(), st.text(max_size=3)),
              st.lists(st.one_of(
                  st.fixed_dictionaries({"output_type": st.sampled_from(["stream", "error", "display_data",
                                                                          "execute_result", "bogus"]),
                                         "name": st.sampled_from(["stdout", "stderr", "x"]),
                                         "text": st.one_of(st.text(max_size=20), st.integers()),
                                         "data": st.dictionaries(st.text(max_size=12),
                                                                 st.one_of(st.text(max_size=5), st.integers(),
                                                                           st.lists(st.text(max_size=3)))),
                                         "ename": st.text(max_size=5), "evalue": st.text(max_size=5),
                                         "traceback": st.one_of(st.lists(st.text(max_size=5)), st.integers()),
                                         "execution_count": st.one_of(st.integers(), st.text(max_size=2))}),
                  st.integers(), st.none()), max_size=4)),
    st.just("[" * 100_000 + "]" * 100_000),
    st.just('{"index": 3, "outputs": [' + '"x",' * 50_000 + '"x"]}'),
    st.just("9" * 5000),
    st.binary(max_size=40).map(lambda b: b.decode("latin-1")),
)


def _bounded(function, *args):
    """Run `function`; fail when it allocates more than MEMORY_BOUND."""
    tracemalloc.start()
    try:
        return function(*args)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert peak < MEMORY_BOUND, f"peak {peak:,} bytes"


def _plain(arrays: dict) -> None:
    for value in arrays.values():
        assert type(value) is np.ndarray and value.dtype.kind in "biufU" and value.nbytes <= protocol.MAX_ARRAY_BYTES


# -- properties --------------------------------------------------------------------------------

@FUZZ
@given(npz_bytes())
def test_arrays_are_plain_or_refused(data):
    try:
        arrays = _bounded(protocol.parse_npz, data)
    except protocol.UnreadableResult:
        return
    _plain(arrays)


@pytest.mark.parametrize("claimed_small", [False, True])
def test_a_zip_bomb_is_refused_before_it_is_inflated(claimed_small):
    with pytest.raises(protocol.UnreadableResult):
        _bounded(protocol.parse_npz, zip_bomb(claimed_small))


@pytest.mark.parametrize("count", [10 ** 13, 2 ** 62])
def test_an_array_header_that_claims_terabytes_is_refused_before_any_allocation(count):
    header = f"{{'descr': '<f8', 'fortran_order': False, 'shape': ({count},), }}"
    header += " " * (63 - len(header) % 64) + "\n"
    npy = b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() + b"\x00" * 64
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("y.npy", npy)
    with pytest.raises(protocol.UnreadableResult, match="claims"):
        _bounded(protocol.parse_npz, buffer.getvalue())


@FUZZ
@given(streams())
def test_streams_give_records_or_refusals(data):
    stream = _bounded(protocol.read_stream, data)
    for check, cell in stream.records:
        assert isinstance(check, str) and (cell is None or type(cell) is int)
        try:
            _plain(stream.outputs(check, cell) or {})
            stream.exports(check, cell)
        except protocol.UnreadableResult:
            pass


@FUZZ
@given(st.lists(JOURNAL_LINES, max_size=8), st.booleans())
def test_journals_give_cells_or_nothing(lines, truncate):
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    if truncate and data:
        data = data[: len(data) // 2]
    journal = _bounded(protocol.parse_journal, data)
    for index, entry in journal.finished.items():
        assert type(index) is int and index >= 0 and isinstance(entry["outputs"], list)


# -- the judge on a whole (tiny) notebook ---------------------------------------------------------

REFERENCE = {"y": np.arange(12.0).reshape(3, 4) * 2, "n": np.array(12)}
REFS = References(outputs={"double_values": REFERENCE},
                  checks={"double_values": HiddenCheck("double_values", None, {"y": Close(1e-9, 0), "n": Exact()})})


def _notebook():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("x"), nbformat.v4.new_code_cell("import numpy"),
                nbformat.v4.new_code_cell("def double(x): ..."),
                nbformat.v4.new_code_cell('check("mini.double_values", double)')]
    nb.cells[3].metadata["nbgrader"] = {"grade": True, "grade_id": "double_values", "points": 2}
    return nb


def _passes(nb) -> bool:
    outputs = nb.cells[3].outputs
    return not any(o.output_type == "error" for o in outputs) and any("passed" in o.get("text", "") for o in outputs)


@FUZZ
@given(streams(), st.lists(JOURNAL_LINES, max_size=6))
def test_the_judge_never_passes_a_record_that_is_not_the_right_answer(data, lines):
    results = ChildResults(protocol.parse_journal("\n".join(lines).encode()), protocol.read_stream(data),
                           protocol.RecordStream())
    nb, _ = _bounded(apply_results, _notebook(), results, REFS, "mini", None)
    nbformat.validate(nb)
    assert not _passes(nb)  # nothing generated here holds the reference values


def test_the_judge_passes_the_right_answer_recorded_in_its_cell():
    right = frame("record", protocol.npz_bytes(REFERENCE), check="mini.double_values", cell=3,
                  arrays=len(protocol.npz_bytes(REFERENCE)))
    elsewhere = frame("record", protocol.npz_bytes(REFERENCE), check="mini.double_values", cell=2,
                      arrays=len(protocol.npz_bytes(REFERENCE)))
    journal = protocol.parse_journal(b"\n".join(json.dumps({"index": i, "outputs": []}).encode() for i in (1, 2, 3)))
    for stream, passes in ((frame("ready") + right, True), (frame("ready") + elsewhere, False), (right, False),
                           (frame("setup-failed", message="x") + right, False)):
        nb, _ = apply_results(_notebook(), ChildResults(journal, protocol.read_stream(stream), protocol.RecordStream()),
                              REFS, "mini", None)
        assert _passes(nb) is passes


# -- files in the job folder ------------------------------------------------------------------

@pytest.fixture
def job(tmp_path):
    (tmp_path / "work").mkdir()
    fd = protocol.open_job_dir(tmp_path)
    yield tmp_path, fd
    os.close(fd)


def _in_time(function, *args, seconds=5):
    """Call `function` in a thread; fail if it has not returned after `seconds` (a FIFO read)."""
    result = {}

    def target():
        try:
            result["value"] = function(*args)
        except BaseException as exc:  # noqa: BLE001
            result["error"] = exc
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the reader blocked"
    if "error" in result:
        raise result["error"]
    return result["value"]


@pytest.mark.parametrize("make", ["link", "fifo", "folder", "big", "link_folder", "hardlink"])
def test_only_regular_files_inside_the_job_folder_are_read(job, make, tmp_path_factory):
    root, fd = job
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "secret"
    elsewhere.write_text('{"index": 0, "outputs": [{"output_type": "stream", "name": "stdout", "text": "secret"}]}\n')
    target = root / protocol.JOURNAL
    if make == "link":
        target.symlink_to(elsewhere)
    elif make == "fifo":
        os.mkfifo(target)
    elif make == "folder":
        target.mkdir()
    elif make == "big":
        with open(target, "wb") as f:
            f.truncate(protocol.MAX_JOURNAL_BYTES + 1)
    elif make == "link_folder":
        (root / "work").rmdir()
        (root / "work").symlink_to(elsewhere.parent)
        (elsewhere.parent / ".journal.jsonl").write_text(elsewhere.read_text())
    elif make == "hardlink":
        os.link(elsewhere, target)
    with pytest.raises(protocol.UnreadableResult):
        _in_time(protocol.read_journal, fd)
