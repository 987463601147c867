"""The installed environment (requirements.txt) adds no slow import to the processes every
grading step starts: nbgrader's commands, the batch grader, the hub's Jupyter servers.
jsonschema 4.25+ imports rfc3987-syntax, which builds its Earley parsers at import (2-3 s a
process on a 2-core machine; pulled in through jupyter-events' jsonschema[format-nongpl])."""
from __future__ import annotations

import subprocess
import sys

SLOW_AT_IMPORT = ("rfc3987_syntax", "lark")

LOADED_BY = """
import sys
import nbformat, nbgrader.apps, jupyter_server.serverapp
print(" ".join(sorted({m.split(".")[0] for m in sys.modules})))
"""


def test_nbformat_nbgrader_and_jupyter_server_load_no_parser_generator():
    loaded = subprocess.run([sys.executable, "-c", LOADED_BY], capture_output=True, text=True,
                            check=True).stdout.split()
    assert "nbformat" in loaded and "jupyter_server" in loaded  # the probe ran
    slow = [name for name in SLOW_AT_IMPORT if name in loaded]
    assert not slow, (f"{slow} loaded on import: every nbgrader command and Jupyter server pays for it; "
                      f"see the note on jsonschema in requirements.txt")
