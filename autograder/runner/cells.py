"""Run notebook cells like Jupyter does, inside the current process, and collect their
outputs in nbformat's shape.

This runs in the forked child only (it executes student code). Cells go through IPython's
InteractiveShell: in order, magics and display work, and IPython keeps each cell's source in
linecache so AutoGraph can read the source of a tf.function defined in a cell. Output written
to the file descriptors (TensorFlow's C++ logs, os.write, subprocesses) is collected too.
After each cell one entry is appended to the journal (protocol.JournalWriter).
"""
from __future__ import annotations

import inspect
import io
import os
import signal
import sys
from typing import Any

from IPython.core.compilerop import CachingCompiler
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from traitlets import Type
from traitlets.config import Config

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


class _CellCompiler(CachingCompiler):
    """IPython's compiler, which also tells inspect that a cell's code is __main__'s (as the
    cell's functions say: their __module__ is "__main__"). inspect.getmodule does not know a
    cell's made-up file name ("<ipython-input-...>") and walks every loaded module (TensorFlow
    brings ~4,000) twice for each cell frame of each traceback IPython formats: 20-40 ms of
    each failing cell, and a blank or half-done notebook has dozens. Known, it is one lookup."""

    def cache(self, transformed_code, number=0, raw_code=None):
        name = super().cache(transformed_code, number, raw_code)
        known = getattr(inspect, "modulesbyfile", None)
        if isinstance(known, dict):
            known[name] = known[os.path.normcase(os.path.abspath(name))] = "__main__"
        return name


class NotebookShell(InteractiveShell):
    """An InteractiveShell whose outputs go to a collector instead of the terminal."""

    collector: OutputCollector
    compiler_class = Type(_CellCompiler)
    displayhook_class = Type(_Hook)
    display_pub_class = Type(_Publisher)
    _shown_error: tuple | None = None  # (exception, its text, its formatted traceback)

    @classmethod
    def start(cls) -> "NotebookShell":
        """The shell of this process. Its input history lives in memory: IPython would otherwise
        keep it in a SQLite file under HOME (the notebook's folder here), written by a thread of
        its own with a commit after every cell, for a process that ends with the notebook.
        In, Out, _i<n> and %history behave as in a kernel whose history file is new."""
        config = Config()
        config.HistoryManager.hist_file = ":memory:"
        return cls.instance(colors="nocolor", config=config)

    def _showtraceback(self, etype, evalue, stb):
        text, stb = str(evalue), list(stb)
        self._shown_error = (evalue, text, stb)
        self.collector.error(getattr(etype, "__name__", str(etype)), text, stb)

    def _format_exception_for_storage(self, exception, filename=None, running_compiled_code=False):
        """IPython formats a cell's exception a second time to keep it in the history; the
        traceback just shown is that same text. Formatting is the costly part of a failing cell
        (IPython looks up each frame's module among the ~4,000 TensorFlow loads)."""
        shown, self._shown_error = self._shown_error, None
        if shown is not None and shown[0] is exception:
            return {"ename": type(exception).__name__, "evalue": shown[1], "traceback": shown[2]}
        return super()._format_exception_for_storage(exception, filename, running_compiled_code)

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


def _tf_print_to_python_stdout() -> None:
    """What TensorFlow does when it is imported inside IPython (logging_ops.py: it registers a
    log listener that sends every tf.print to Python's sys.stdout): the zygote imported
    TensorFlow before any shell existed, so without this tf.print would go to file descriptor 2
    and land on stderr, where nbgrader takes it for an error. Registers a callback only."""
    if "tensorflow" in sys.modules:
        from tensorflow.python.ops import logging_ops
        logging_ops.enable_interactive_logging()


class _Untouched:
    """While a hidden test cell runs, the student's IPython hooks (pre/post_run_cell and
    friends), AST and input transformers and trace/profile functions are set aside: a hidden
    check runs as written. They are put back afterwards."""

    EVENTS = ("pre_execute", "pre_run_cell", "post_execute", "post_run_cell")

    def __init__(self, shell: "NotebookShell"):
        self.shell = shell

    def __enter__(self):
        shell = self.shell
        self.saved = ({name: list(shell.events.callbacks.get(name, [])) for name in self.EVENTS},
                      list(shell.ast_transformers), list(shell.input_transformers_post),
                      list(shell.input_transformer_manager.cleanup_transforms),
                      list(shell.input_transformer_manager.line_transforms),
                      list(shell.input_transformer_manager.token_transformers),
                      sys.gettrace(), sys.getprofile())
        for name in self.EVENTS:
            shell.events.callbacks[name] = []
        shell.ast_transformers[:] = []
        shell.input_transformers_post[:] = []
        sys.settrace(None)
        sys.setprofile(None)
        return self

    def __exit__(self, *exc):
        events, ast, post, cleanup, lines, tokens, trace, profile = self.saved
        shell = self.shell
        for name, callbacks in events.items():
            shell.events.callbacks[name] = callbacks
        shell.ast_transformers[:] = ast
        shell.input_transformers_post[:] = post
        manager = shell.input_transformer_manager
        manager.cleanup_transforms[:], manager.line_transforms[:], manager.token_transformers[:] = cleanup, lines, tokens
        sys.settrace(trace)
        sys.setprofile(profile)


class NotebookRunner:
    """Execute a notebook's code cells in order in this process, appending one journal entry
    per cell (protocol.JournalWriter) so that whatever happens to the process later, the cells
    that finished are on disk. Hidden test cells (cells.json marks them "test") run without the
    student's hooks (_Untouched), and the recorder is told which cell is running."""

    def __init__(self, journal_path: str, work_dir: str, cell_timeout: float, output_limit: int, recorder=None):
        from .protocol import JournalWriter
        self.budget = [output_limit]
        self.cell_timeout = cell_timeout
        self.recorder = recorder
        self.fds = _FdCapture(work_dir)
        self.shell = NotebookShell.start()
        self.shell.collector = OutputCollector(self.budget)
        self.journal = JournalWriter(journal_path)
        self.armed = False

    def _alarm(self, signum, frame):
        if not self.armed:
            return
        # Raised again every 0.5 s until the cell is over: an exception raised inside a write
        # that C code makes for the cell (tf.print's PySys_WriteStdout) is swallowed there.
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        raise CellTimeout("the cell ran longer than the per-cell time limit")

    def _disarm(self) -> None:
        self.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)

    def _run_cell(self, cell: dict) -> None:
        shell = self.shell
        self.armed = True
        signal.setitimer(signal.ITIMER_REAL, self.cell_timeout)
        try:
            try:
                if cell.get("test"):
                    with _Untouched(shell):
                        result = shell.run_cell(cell.get("source", ""), store_history=True, cell_id=cell.get("id"))
                else:
                    result = shell.run_cell(cell.get("source", ""), store_history=True, cell_id=cell.get("id"))
            finally:
                self._disarm()
                shell._shown_error = None  # not to keep the exception's frames alive
        except CellTimeout as exc:  # raised outside the cell's own code
            self._disarm()
            shell.collector.error("CellTimeout", str(exc), [f"CellTimeout: {exc}"])
            return
        self._keep_error(result)

    def _keep_error(self, result) -> None:
        """A cell that raised has an error output even when IPython could not format its
        traceback: with the address space used up (a cell that allocates until MemoryError and
        keeps what it got), or with an exception whose __str__ raises, IPython's formatter fails,
        prints a fallback and shows no error."""
        error = result.error_before_exec or result.error_in_exec
        if error is None or any(o.get("output_type") == "error" for o in self.shell.collector.outputs):
            return
        name = type(error).__name__
        try:
            text = str(error)[:1000]
        except Exception:  # noqa: BLE001 - MemoryError, or an exception whose __str__ raises
            text = ""
        self.shell.collector.error(name, text, [f"{name}: {text}" if text else name])

    def run(self, cells: list[dict]) -> None:
        shell = self.shell
        sys.stdout, sys.stderr = _Stream(shell, "stdout"), _Stream(shell, "stderr")
        _tf_print_to_python_stdout()
        signal.signal(signal.SIGALRM, self._alarm)
        for index, cell in enumerate(cells):
            if cell.get("cell_type") != "code":
                continue
            self.journal.start(index)
            if self.recorder is not None:
                self.recorder.current_cell = index
            shell.collector = OutputCollector(self.budget)
            self._run_cell(cell)
            for name, text in self.fds.drain(self.budget[0]):
                shell.collector.stream(name, text)
            self.journal.finished(index, shell.execution_count - 1, shell.collector.outputs)
