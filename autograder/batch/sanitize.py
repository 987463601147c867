"""Sanitise a submitted notebook exactly as `nbgrader autograde` does, before it runs, and
derive from the course's configuration the pipeline that records it afterwards.

Both pipelines come from `nbgrader_config.py` (Autograde.sanitize_preprocessors and
Autograde.autograde_preprocessors, or nbgrader's defaults): the sanitising steps in nbgrader's
order (outputs cleared, duplicate cell ids resolved, the kernelspec overwritten, locked and
test cells restored from the gradebook, cell metadata checked); grading runs the result, not
what the student sent. The recording pipeline is the configured autograde pipeline with
nbgrader's Execute replaced by ReplayOutputs (the outputs the batch computed) and without the
steps the sanitising pass already ran on this very notebook.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute
from traitlets.config import Config

from .replay import ReplayOutputs


class UnreadableNotebook(ValueError):
    """The submitted file is not a notebook nbgrader can grade; the message says why."""


def _configured(config: Config, name: str) -> list:
    section = config.Autograde
    return list(section[name]) if name in section else list(Autograde.class_traits()[name].default())


def sanitizers(config: Config) -> list:
    return _configured(config, "sanitize_preprocessors")


def recording_pipeline(config: Config) -> list:
    """The configured autograde pipeline, Execute replaced by ReplayOutputs, sanitisers dropped."""
    done = set(sanitizers(config))
    steps = [ReplayOutputs if step is Execute or (isinstance(step, type) and issubclass(step, Execute)) else step
             for step in _configured(config, "autograde_preprocessors")]
    if ReplayOutputs not in steps:
        raise ValueError("nbgrader_config.py's Autograde.autograde_preprocessors has no Execute step to replace")
    return [step for step in steps if step not in done]


def read_submission(path: Path):
    try:
        nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        nb = nbformat.convert(nb, 4)
    except Exception as exc:  # nbformat raises several types for bad JSON / schema
        first = (str(exc).strip().splitlines() or [""])[0][:200]
        raise UnreadableNotebook(f"{path.name} could not be read as a notebook ({type(exc).__name__}: {first})") from None
    return nb


def sanitize(nb, config: Config, db_url: str, assignment: str, notebook: str, student: str):
    resources = {"nbgrader": {"db_url": db_url, "assignment": assignment, "notebook": notebook,
                              "student": student}}
    for cls in sanitizers(config):
        try:
            nb, resources = cls(config=config).preprocess(nb, resources)
        except Exception as exc:
            first = (str(exc).strip().splitlines() or [""])[0][:300]
            raise UnreadableNotebook(f"{notebook}.ipynb failed nbgrader's checks ({cls.__name__}): {first}") from None
    for index, cell in enumerate(nb.cells):  # cells nbgrader restored come without an id
        if not cell.get("id"):
            cell["id"] = f"restored-{index}"
    return nb
