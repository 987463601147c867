"""Hidden checks: a named probe of the student's code on hidden inputs, judged against
the reference solution's outputs.

A hidden test cell holds only a call::

    check("custom_components.layernorm_forward_2d", LayerNormalization)

The name is ``<assignment>.<check>``; the check is defined in the course's private
``grading/<assignment>/checks.py`` with :func:`hidden_check`. Its *probe* builds the
hidden inputs, runs the student's objects on them and returns named outputs. What happens
next depends on the backend installed in the process:

* :class:`Judge` (the default, used by plain ``nbgrader autograde``): compares the outputs
  with ``grading/<assignment>/reference.npz`` in the kernel and raises :class:`CheckFailed`
  with a message that says what differs.
* :class:`Recorder`: writes the outputs as plain arrays to a directory and judges nothing.
  It produces the reference outputs from the solution, and lets a grader judge a
  submission's outputs in another process.
"""
from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import re
import sys
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np

from . import course
from .compare import Close, from_spec
from .exports import SavedModel

Comparator = Callable[[str, np.ndarray, np.ndarray], "str | None"]
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*$")
ERROR_KEY = "__error__"
COMPARE_KEY = "__compare__"  # reference.npz: "__compare__|<check>" holds its comparators as JSON
COST_KEY = "__cost__"  # reference.npz: "__cost__|solution_seconds", how long recording the solution took


class CheckFailed(AssertionError):
    """A hidden check did not pass; the message is safe to show to the student."""


class UnknownCheck(LookupError):
    """The name in a check() call is not defined in grading/<assignment>/checks.py."""


class ReferenceMissing(FileNotFoundError):
    """The reference outputs have not been generated (run `python -m autograder generate`)."""


class OutputError(TypeError):
    """A probe returned something that is not plain numeric/boolean/string data."""


@dataclass(frozen=True)
class HiddenCheck:
    """A probe of the student's objects, how its outputs are judged and, for checks whose
    evidence must not come from the student's process, a `measure` step.

    Without `measure`, what the probe returns is judged. With it, the probe only *exports*
    (plain values, or `SavedModel`s of the student's TensorFlow objects) and `measure(exported)`
    computes the outputs that are judged, in a process that ran no student code (the batch
    grader's verifier); it gets the plain values as arrays and each SavedModel as a folder
    (open it with `load_saved_model`)."""

    name: str
    probe: Callable[..., Any]
    compare: Comparator | Mapping[str, Comparator] = field(default_factory=Close)
    measure: Callable[[dict], Mapping[str, Any]] | None = None

    def comparator(self, output: str) -> Comparator:
        if isinstance(self.compare, Mapping):
            return self.compare[output]
        return self.compare


def hidden_check(compare: Comparator | Mapping[str, Comparator] | None = None,
                 measure: Callable[[dict], Mapping[str, Any]] | None = None):
    """Decorator for a probe in grading/<assignment>/checks.py; the function name is the check name.

    `compare` is one comparator for every output, or a mapping output name -> comparator.
    `measure` (optional) turns what the probe exported into the outputs that are judged (see
    HiddenCheck).
    """

    def register(probe: Callable[..., Any]) -> Callable[..., Any]:
        probe.__hidden_check__ = HiddenCheck(probe.__name__, probe, compare or Close(), measure)
        return probe

    return register


def split_name(qualified: str) -> tuple[str, str]:
    if not isinstance(qualified, str) or not _NAME.match(qualified):
        raise UnknownCheck(f"a check name looks like 'assignment.check', got {qualified!r}")
    assignment, name = qualified.split(".")
    return assignment, name


def load_checks(root: Path, assignment: str) -> dict[str, HiddenCheck]:
    """The hidden checks that grading/<assignment>/checks.py defines, by name."""
    path = course.checks_path(root, assignment)
    if not path.is_file():
        raise UnknownCheck(f"no hidden checks for assignment {assignment!r}: {path} is missing")
    spec = importlib.util.spec_from_file_location(f"_autograder_checks_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {
        obj.__hidden_check__.name: obj.__hidden_check__
        for obj in vars(module).values()
        if callable(obj) and hasattr(obj, "__hidden_check__")
    }


def recorded_checks(root: Path, assignment: str) -> dict[str, HiddenCheck]:
    """The checks as the references recorded them: names and comparators, no probes. Enough to
    judge recorded outputs, without running checks.py (which imports TensorFlow)."""
    specs = {name: json.loads(str(value)) for name, value in _reference_entries(root, assignment, COMPARE_KEY).items()}
    if not specs:
        raise ReferenceMissing(f"{course.reference_path(root, assignment)} records no comparators (made by an "
                               f"older version): run `python -m autograder generate {assignment}`")
    return {name: HiddenCheck(name, probe=None, compare={k: from_spec(v) for k, v in outputs.items()})
            for name, outputs in specs.items()}


def lookup(qualified: str, root: Path | None = None) -> HiddenCheck:
    assignment, name = split_name(qualified)
    checks = load_checks(root or course.find_course_root(), assignment)
    if name not in checks:
        raise UnknownCheck(f"assignment {assignment!r} defines no hidden check {name!r}")
    return checks[name]


# -- turning what a probe returns into plain data ---------------------------------------

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


def run_probe(check: HiddenCheck, objects: tuple, export_dir: Path | None = None) -> dict[str, np.ndarray]:
    """Run the probe with the student's objects; whatever the student's code prints is dropped.
    A `SavedModel` among the outputs (checks with `measure` only) is written into `export_dir`
    and stands in the result as the folder's name.

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
        first_line = (str(exc).strip().splitlines() or [""])[0][:200]
        raise CheckFailed(f"{check.name}: your code raised {type(exc).__name__}: {first_line}") from None


def run_measure(check: HiddenCheck, exported: Mapping[str, np.ndarray], export_dir: Path) -> dict[str, np.ndarray]:
    """The outputs to judge of a check with `measure`, from what its probe exported (plain
    arrays; a SavedModel's entry is replaced by its folder). Raises CheckFailed with the
    measurement's error (e.g. a SavedModel that cannot be loaded or uses a refused op)."""
    given: dict[str, Any] = {}
    for key, value in exported.items():
        folder = Path(export_dir) / key
        given[key] = folder if folder.is_dir() and value.dtype.kind == "U" and str(value) == key else value
    try:
        result = check.measure(given)
        return {str(k): to_plain_array(str(k), v) for k, v in result.items()}
    except CheckFailed:
        raise
    except Exception as exc:
        first_line = (str(exc).strip().splitlines() or [""])[0][:200]
        raise CheckFailed(f"{check.name}: {type(exc).__name__}: {first_line}") from None


# -- judging ------------------------------------------------------------------------------

def judge(check: HiddenCheck, got: Mapping[str, np.ndarray], want: Mapping[str, np.ndarray]) -> list[str]:
    """What is wrong with `got` compared with the reference `want` (empty when it passes)."""
    if ERROR_KEY in got:
        return [str(got[ERROR_KEY])]
    problems = []
    for output, reference in want.items():
        if output not in got:
            problems.append(f"output '{output}' is missing")
            continue
        problem = check.comparator(output)(output, np.asarray(got[output]), reference)
        if problem:
            problems.append(problem)
    extra = sorted(set(got) - set(want))
    if extra:
        problems.append(f"unexpected outputs: {', '.join(extra)}")
    return problems


def _reference_entries(root: Path, assignment: str, group: str) -> dict[str, np.ndarray]:
    """The arrays of reference.npz stored as "<group>|<key>", by key."""
    path = course.reference_path(root, assignment)
    if not path.is_file():
        raise ReferenceMissing(
            f"reference outputs for {assignment!r} are missing ({path}); run `python -m autograder generate`"
        )
    prefix = f"{group}|"
    with np.load(path, allow_pickle=False) as data:
        return {key[len(prefix):]: data[key] for key in data.files if key.startswith(prefix)}


def load_reference(root: Path, assignment: str, name: str) -> dict[str, np.ndarray]:
    found = _reference_entries(root, assignment, name)
    if not found:
        raise ReferenceMissing(f"{course.reference_path(root, assignment)} has no reference outputs for "
                               f"check {name!r}; regenerate it")
    return found


def solution_seconds(root: Path, assignment: str) -> float | None:
    """How long the solution took to run when its references were recorded (kernel start
    included): the batch grader starts the costliest assignments first. None when unknown."""
    found = _reference_entries(root, assignment, COST_KEY).get("solution_seconds")
    return None if found is None else float(found)


def save_outputs(path: Path, outputs: Mapping[str, np.ndarray]) -> None:
    np.savez(path, **{k: np.asarray(v) for k, v in outputs.items()})


def load_outputs(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as data:
        return {key: data[key] for key in data.files}


def _probe_and_measure(spec: HiddenCheck, objects: tuple) -> dict[str, np.ndarray]:
    if spec.measure is None:
        return run_probe(spec, objects)
    with tempfile.TemporaryDirectory(prefix="autograder-export-") as folder:
        return run_measure(spec, run_probe(spec, objects, Path(folder)), Path(folder))


# -- backends -----------------------------------------------------------------------------

class Judge:
    """Evaluate and judge in this process (what plain `nbgrader autograde` runs)."""

    def __init__(self, root: Path | None = None):
        self.root = root

    def run(self, qualified: str, objects: tuple) -> None:
        __tracebackhide__ = True
        root = self.root or course.find_course_root()
        assignment, name = split_name(qualified)
        spec = lookup(qualified, root)
        reference = load_reference(root, assignment, name)
        got = _probe_and_measure(spec, objects)
        problems = judge(spec, got, reference)
        if problems:
            raise CheckFailed(f"{name}: " + "; ".join(problems))
        print(f"hidden check {name}: passed")


class Recorder:
    """Write each check's outputs to `<directory>/<assignment>.<check>.npz`; judge nothing."""

    def __init__(self, directory: str | Path, root: Path | None = None):
        self.directory = Path(directory)
        self.root = root

    def run(self, qualified: str, objects: tuple) -> None:
        root = self.root or course.find_course_root()
        spec = lookup(qualified, root)
        self.directory.mkdir(parents=True, exist_ok=True)
        try:
            outputs = _probe_and_measure(spec, objects)
        except CheckFailed as failure:
            outputs = {ERROR_KEY: np.array(str(failure))}
        save_outputs(self.directory / f"{qualified}.npz", outputs)


_backend: Judge | Recorder = Judge()


def use_backend(backend: Judge | Recorder) -> None:
    """Install the backend that check() calls go to in this process."""
    global _backend
    _backend = backend


def check(name: str, *objects: Any) -> None:
    """Run hidden check `name` ('assignment.check') on the student's objects."""
    __tracebackhide__ = True
    try:
        _backend.run(name, objects)
    except CheckFailed as failure:
        # A fresh exception without the grading frames: the student sees the cell and the message.
        raise CheckFailed(str(failure)) from None
