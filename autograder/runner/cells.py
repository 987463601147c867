"""Run notebook cells like Jupyter does, inside the current process, and collect their
outputs in nbformat's shape.

This runs in the forked child only (it executes student code). Cells go through IPython's
InteractiveShell: in order, magics and display work, and IPython keeps each cell's source in
linecache so AutoGraph can read the source of a tf.function defined in a cell. Output written
to the file descriptors (TensorFlow's C++ logs, os.write, subprocesses) is collected too.
After each cell one JSON line is appended to the journal, so whatever happens to the process
later, the cells that finished are on disk.
"""
from __future__ import annotations

import io
import json
import os
import signal
import sys
from typing import Any

from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from traitlets import Type


TRUNCATED = "[output truncated: the notebook printed more than the grader keeps]"


class CellTimeout(BaseException):
    """Raised inside a cell that ran longer than the per-cell limit (BaseException, so a
    student's `except Exception` does not swallow it)."""


class OutputCollector:
    """One cell's outputs, with a byte budget shared by the whole notebook."""

    def __init__(self, budget: list[int]):
        self.outputs: list[dict[str, Any]] = []
        self.budget = budget  # one-element list: bytes left for the whole notebook

    def _take(self, text: str) -> str:
        left = self.budget[0]
        if left <= 0:
            return ""
        if len(text) > left:
            text = text[:left] + f"\n{TRUNCATED}\n"
        self.budget[0] = left - len(text)
        return text

    def stream(self, name: str, text: str) -> None:
        text = self._take(text)
        if not text:
            return
        last = self.outputs[-1] if self.outputs else None
        if last and last["output_type"] == "stream" and last["name"] == name:
            last["text"] += text
        else:
            self.outputs.append({"output_type": "stream", "name": name, "text": text})

    def _data(self, data: dict) -> dict:
        return {k: self._take(v) if isinstance(v, str) else v for k, v in data.items()
                if isinstance(v, (str, dict, list))}

    def display(self, data: dict, metadata: dict | None) -> None:
        if self.budget[0] > 0:
            self.outputs.append({"output_type": "display_data", "data": self._data(data),
                                 "metadata": metadata or {}})

    def result(self, count: int, data: dict, metadata: dict | None) -> None:
        if self.budget[0] > 0:
            self.outputs.append({"output_type": "execute_result", "execution_count": count,
                                 "data": self._data(data), "metadata": metadata or {}})

    def error(self, ename: str, evalue: str, traceback: list[str]) -> None:
        self.outputs.append({"output_type": "error", "ename": ename, "evalue": self._take(evalue)[:2000],
                             "traceback": [self._take(line)[:5000] for line in traceback[-30:]]})


class _Stream(io.TextIOBase):
    def __init__(self, shell: "NotebookShell", name: str):
        self.shell, self.name = shell, name

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.shell.collector.stream(self.name, text)
        return len(text)

    def isatty(self) -> bool:
        return False


class _Publisher(DisplayPublisher):
    def publish(self, data, metadata=None, source=None, *, transient=None, update=False):
        self.shell.collector.display(data, metadata)

    def clear_output(self, wait=False):
        self.shell.collector.outputs.clear()


class _Hook(DisplayHook):
    def write_output_prompt(self):
        pass

    def write_format_data(self, format_dict, md_dict=None):
        self.shell.collector.result(self.prompt_count, format_dict, md_dict)

    def finish_displayhook(self):
        pass


class NotebookShell(InteractiveShell):
    """An InteractiveShell whose outputs go to a collector instead of the terminal."""

    collector: OutputCollector
    displayhook_class = Type(_Hook)
    display_pub_class = Type(_Publisher)

    def _showtraceback(self, etype, evalue, stb):
        self.collector.error(getattr(etype, "__name__", str(etype)), str(evalue), list(stb))

    def enable_gui(self, gui=None):
        pass


class _FdCapture:
    """Send file descriptors 1 and 2 to files and hand back what arrived since last time."""

    def __init__(self, directory: str):
        self.files = {}
        for fd, name in ((1, "stdout"), (2, "stderr")):
            path = os.path.join(directory, f"fd-{name}.log")
            target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(target, fd)
            os.close(target)
            self.files[name] = [open(path, "rb"), 0]

    def drain(self, limit: int) -> list[tuple[str, str]]:
        chunks = []
        for name, (handle, _) in self.files.items():
            data = handle.read(max(limit, 0) + 1)
            handle.seek(0, os.SEEK_END)  # drop anything beyond the budget
            if data:
                chunks.append((name, data.decode("utf-8", "replace")))
        return chunks


def _alarm(signum, frame):
    raise CellTimeout("the cell ran longer than the per-cell time limit")


def run_cells(cells: list[dict], journal_path: str, work_dir: str, cell_timeout: float,
              output_limit: int) -> None:
    """Execute the code cells in order, appending one journal line per cell:
    {"start": i} before it runs, then {"index": i, "execution_count": n, "outputs": [...]}."""
    budget = [output_limit]
    fds = _FdCapture(work_dir)
    shell = NotebookShell.instance(colors="nocolor")
    shell.collector = OutputCollector(budget)
    sys.stdout, sys.stderr = _Stream(shell, "stdout"), _Stream(shell, "stderr")
    signal.signal(signal.SIGALRM, _alarm)
    with open(journal_path, "a", encoding="utf-8") as journal:
        for index, cell in enumerate(cells):
            if cell.get("cell_type") != "code":
                continue
            journal.write(json.dumps({"start": index}) + "\n")
            journal.flush()
            shell.collector = OutputCollector(budget)
            signal.setitimer(signal.ITIMER_REAL, cell_timeout)
            try:
                shell.run_cell(cell.get("source", ""), store_history=True, cell_id=cell.get("id"))
            except CellTimeout as exc:  # raised outside the cell's own code
                shell.collector.error("CellTimeout", str(exc), [f"CellTimeout: {exc}"])
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            for name, text in fds.drain(budget[0]):
                shell.collector.stream(name, text)
            journal.write(json.dumps({"index": index, "execution_count": shell.execution_count - 1,
                                      "outputs": shell.collector.outputs}) + "\n")
            journal.flush()
