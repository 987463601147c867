"""Cells run in a forked, pre-warmed child like they do in Jupyter."""
from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from pathlib import Path

import pytest

from autograder.runner import protocol
from autograder.runner.pool import Job, ZygotePool

pytestmark = pytest.mark.xdist_group("zygote")  # its module fixtures are built once, on one worker

CELLS = [
    "import tensorflow as tf\n"
    "@tf.function\n"
    "def total(n):\n"
    "    s = tf.constant(0)\n"
    "    for i in tf.range(n):\n"
    "        s += i\n"
    "    return s\n"
    "graph = total.get_concrete_function(tf.TensorSpec([], tf.int32)).graph\n"
    "print(sorted({op.type for op in graph.get_operations()} & {'While', 'StatelessWhile'}), int(total(5)))",
    "%time x = sum(range(10))\nx",
    "from IPython.display import HTML, display\ndisplay(HTML('<b>bold</b>'))\nimport os\n_ = os.write(2, b'from fd 2\\n')",
    "1 / 0",
    "print('after the error')",
    # tf.print lands on stdout, in order, as in a Jupyter kernel (TensorFlow registers that
    # only when it is imported inside IPython; the zygote imported it before any shell)
    "@tf.function\ndef noisy(x):\n    tf.print('inside', x)\n    return x\nprint('before'); _ = noisy(tf.constant(3)); tf.print('eager'); print('after')",
    "class Unrenderable(Exception):\n    def _render_traceback_(self):\n        raise RuntimeError('cannot render')\nraise Unrenderable('boom')",
    # counts how often IPython formats a traceback from here on
    "ip = get_ipython()\n_formatted = []\n_format = ip.InteractiveTB.structured_traceback\n"
    "def _counting(*args, **kwargs):\n    _formatted.append(1)\n    return _format(*args, **kwargs)\n"
    "ip.InteractiveTB.structured_traceback = _counting",
    "undefined_name",
    "import json, os\nhistory = ip.history_manager\n"
    "print(len(_formatted), history.hist_file, history.save_thread,\n"
    "      os.path.exists(os.path.expanduser('~/.ipython/profile_default/history.sqlite')))\n"
    "print(json.dumps(history.exceptions[9]))\n"
    "print(repr(In[2]), repr(_i2))\n"
    "%history -n 2",
    # a module whose every walk by inspect.getmodule is counted
    "import sys, types\nclass _Counted(types.ModuleType):\n    walks = 0\n"
    "    @property\n    def __file__(self):\n        type(self).walks += 1\n        return '/nowhere/counted.py'\n"
    "sys.modules['_counted'] = _Counted('_counted')\ndef _fails():\n    raise ValueError('not yet')",
    "_fails()",
    "import inspect\nprint(_Counted.walks, inspect.getmodule(inspect.currentframe()) is sys.modules['__main__'])",
]


def run_cells(cells: list[str], tmp: Path, **limits) -> tuple[protocol.Event, protocol.Journal, protocol.RecordStream]:
    (tmp / "work").mkdir()
    (tmp / "cells.json").write_text(json.dumps([{"cell_type": "code", "source": s, "id": f"c{i}"}
                                                for i, s in enumerate(cells)]))
    request = protocol.Request(id="one", job_dir=str(tmp), cells_path=str(tmp / "cells.json"),
                               work_dir=str(tmp / "work"), course_root=str(tmp), wall_timeout=120,
                               cell_timeout=60, memory_mb=4096, output_limit=100_000, **limits)
    events = []
    with ZygotePool(1) as pool:
        pool.run([Job(request)], lambda job, event: events.append(event))
    fd = protocol.open_job_dir(tmp)
    try:
        return events[0], protocol.read_journal(fd), protocol.read_records(fd)
    finally:
        import os
        os.close(fd)


@contextlib.contextmanager
def child_folder():
    # under /tmp itself: when the child drops to its own user it must be able to enter its folders
    tmp = Path(tempfile.mkdtemp(prefix="zygote-test-"))
    tmp.chmod(0o755)
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def journal():
    with child_folder() as tmp:
        event, journal, stream = run_cells(CELLS, tmp)
        assert event.status == "exited" and event.code == 0
        assert stream.ready and stream.setup_error is None
        assert journal.started is None
        yield journal.finished


def _texts(entry, name="stdout"):
    return "".join(o.get("text", "") for o in entry["outputs"] if o["output_type"] == "stream" and o["name"] == name)


def test_autograph_converts_a_cell_defined_tf_function(journal):
    assert "['StatelessWhile'] 10" in _texts(journal[0]) or "['While'] 10" in _texts(journal[0])


def test_magics_and_execute_results(journal):
    assert "Wall time" in _texts(journal[1])
    results = [o for o in journal[1]["outputs"] if o["output_type"] == "execute_result"]
    assert results[0]["data"]["text/plain"] == "45"


def test_display_and_file_descriptor_output(journal):
    kinds = [o["output_type"] for o in journal[2]["outputs"]]
    assert "display_data" in kinds
    assert "from fd 2" in _texts(journal[2], "stderr")


def test_an_error_stays_in_its_cell_and_the_next_cell_runs(journal):
    errors = [o for o in journal[3]["outputs"] if o["output_type"] == "error"]
    assert errors[0]["ename"] == "ZeroDivisionError"
    assert _texts(journal[4]) == "after the error\n"
    assert [journal[i]["execution_count"] for i in range(5)] == [1, 2, 3, 4, 5]


def test_an_error_ipython_cannot_format_is_still_an_error_output(journal):
    """IPython's formatter fails on this exception (as it can on a MemoryError raised with the
    address space used up: seen once under load in tests/batch/test_faults.py's memory bomb),
    prints a fallback and shows no error: the cell still gets one, so it does not look passed."""
    errors = [o for o in journal[6]["outputs"] if o["output_type"] == "error"]
    assert [(e["ename"], e["evalue"]) for e in errors] == [("Unrenderable", "boom")]


def test_history_lives_in_memory_and_each_error_is_formatted_once(journal):
    """IPython's history is in memory (no SQLite file under the notebook's folder, no thread
    writing it), yet In, _i<n> and %history work as in a kernel; a failing cell's traceback is
    formatted once, and the copy the history keeps is the one the notebook shows."""
    lines = _texts(journal[9]).splitlines()
    assert lines[0] == "1 :memory: None False"
    shown = [o for o in journal[8]["outputs"] if o["output_type"] == "error"]
    assert json.loads(lines[1]) == {"ename": "NameError", "evalue": shown[0]["evalue"],
                                    "traceback": shown[0]["traceback"]}
    assert "name 'undefined_name' is not defined" in shown[0]["evalue"]
    assert lines[2] == repr("get_ipython().run_line_magic('time', 'x = sum(range(10))')\nx") + " " + \
        repr("%time x = sum(range(10))\nx")
    assert "2:\n%time x = sum(range(10))\nx\n" in _texts(journal[9])


def test_a_cell_traceback_is_formatted_without_walking_every_loaded_module(journal):
    """inspect knows a cell's code as __main__'s: IPython formats a failing cell's traceback
    (the cell's frame and a function's from an earlier cell) without inspect.getmodule walking
    sys.modules, and the traceback reads as before."""
    errors = [o for o in journal[11]["outputs"] if o["output_type"] == "error"]
    text = "\n".join(errors[0]["traceback"])
    assert "Cell In[12], line 1\n----> 1 _fails()" in text and "Cell In[11], line 10, in _fails()" in text
    assert errors[0]["traceback"][-1] == "ValueError: not yet"
    assert _texts(journal[12]) == "0 True\n"


def test_tf_print_goes_to_stdout_in_order_like_in_a_kernel(journal):
    assert _texts(journal[5]) == "before\ninside 3\neager\nafter\n"
    assert _texts(journal[5], "stderr") == ""


def test_a_child_inherits_the_zygotes_frozen_heap_and_warmed_traceback_cache():
    """The zygote imports with the collector paused, freezes what it imported and warms
    inspect's module cache (zygote.serve): a child must start with the collector running again
    (a notebook's cyclic garbage is collected), TensorFlow's objects frozen out of its reach,
    and the cache that IPython's first traceback would otherwise fill already filled."""
    cell = ("import gc, inspect, sys\n"
            "print(gc.isenabled(), gc.get_freeze_count() > 100_000, len(inspect._filesbymodname) > 1_000,\n"
            "      'tensorflow' in sys.modules)")
    with child_folder() as tmp:
        event, journal, _ = run_cells([cell], tmp)
    assert event.status == "exited" and event.code == 0
    assert _texts(journal.finished[0]) == "True True True True\n"
