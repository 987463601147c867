"""Running a hidden check's probe on the student's objects, in the process that holds them
(a notebook's kernel or the batch grader's child), and turning what it returns into plain
data; and running a check's `measure` on what the probe exported.

Nothing here judges: judge.py compares outputs with the references.
"""
from __future__ import annotations

import contextlib
import io
import warnings
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from .exports import SavedModel
from .hidden import CheckFailed, HiddenCheck

ERROR_KEY = "__error__"  # a record holding only this key: the probe failed, with the message


class OutputError(TypeError):
    """A probe returned something that is not plain numeric/boolean/string data."""


def to_plain_array(name: str, value: Any) -> np.ndarray:
    """A plain, owned ndarray of numbers, booleans or strings; anything else is refused."""
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    if isinstance(value, (list, tuple)):
        value = [to_plain_array(name, v) for v in value]
    elif not isinstance(value, (np.ndarray, np.generic, bool, int, float, str, bytes)):
        raise OutputError(f"output '{name}' is a {type(value).__name__}, not numbers or text")
    array = np.array(value, subok=False, copy=True)
    if array.dtype.kind == "S":
        array = np.char.decode(array, "utf-8")
    if array.dtype.kind not in "biufU":
        raise OutputError(f"output '{name}' has unsupported dtype {array.dtype}")
    return array


def _failed(check: HiddenCheck, exc: BaseException, what: str) -> CheckFailed:
    first_line = (str(exc).strip().splitlines() or [""])[0][:200]
    return CheckFailed(f"{check.name}: {what} {type(exc).__name__}: {first_line}".replace("  ", " "))


def run_probe(check: HiddenCheck, objects: tuple, export_dir: Path | None = None) -> dict[str, np.ndarray]:
    """Run the probe with the student's objects; whatever the student's code prints is dropped.
    A `SavedModel` among the outputs (checks with `measure` only) is written into `export_dir`
    and stands in the result as its own name.

    Raises CheckFailed when the student's code raises: the message gives the exception type
    and the first line of its message.
    """
    __tracebackhide__ = True
    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = check.probe(*objects)
            if not isinstance(result, Mapping):
                result = {"value": result}
            outputs = {}
            for key, value in result.items():
                if isinstance(value, SavedModel):
                    if check.measure is None or export_dir is None:
                        raise OutputError(f"output '{key}' is a SavedModel, which only a check with measure= exports")
                    value.save(Path(export_dir) / str(key))
                    value = str(key)
                outputs[str(key)] = to_plain_array(str(key), value)
            return outputs
    except OutputError as exc:
        raise CheckFailed(f"{check.name}: {exc}") from None
    except Exception as exc:  # the student's code failed on a hidden case
        raise _failed(check, exc, "your code raised") from None


def run_measure(check: HiddenCheck, exported: Mapping[str, np.ndarray], export_dir: Path) -> dict[str, np.ndarray]:
    """The outputs to judge of a check with `measure`, from what its probe exported (plain
    arrays; a SavedModel's entry is replaced by its folder). Raises CheckFailed with the
    measurement's error (e.g. a SavedModel that cannot be loaded or uses a refused op)."""
    given: dict[str, Any] = {}
    for key, value in exported.items():
        folder = Path(export_dir) / key
        is_folder = value.dtype.kind == "U" and value.ndim == 0 and str(value) == key and folder.is_dir()
        given[key] = folder if is_folder else value
    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = check.measure(given)
            return {str(k): to_plain_array(str(k), v) for k, v in result.items()}
    except CheckFailed:
        raise
    except Exception as exc:
        raise _failed(check, exc, "") from None


def probe_and_measure(check: HiddenCheck, objects: tuple) -> dict[str, np.ndarray]:
    """Both steps in this process (what a plain kernel does: nothing here is trusted more than
    the kernel itself)."""
    if check.measure is None:
        return run_probe(check, objects)
    import tempfile
    with tempfile.TemporaryDirectory(prefix="autograder-export-") as folder:
        return run_measure(check, run_probe(check, objects, Path(folder)), Path(folder))


@contextlib.contextmanager
def earlier_tasks_as_reference(function, references: Mapping[str, Any]):
    """While a probe runs the student's `function`, the names of the earlier tasks it calls
    (e.g. `train_step` inside `fit`) point to the reference versions in the namespace the
    function reads its globals from (the notebook's), so that a mistake in an earlier task costs
    its own points only; the student's objects are put back afterwards."""
    namespace = getattr(function, "__globals__", None)
    if not isinstance(namespace, dict):
        yield
        return
    missing = object()
    saved = {name: namespace.get(name, missing) for name in references}
    namespace.update(references)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is missing:
                namespace.pop(name, None)
            else:
                namespace[name] = value
