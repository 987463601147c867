"""Sanitise a submitted notebook exactly as `nbgrader autograde` does, before it runs.

nbgrader's own preprocessors, in nbgrader's order: outputs cleared, duplicate cell ids
resolved, the kernelspec overwritten, locked and test cells restored from the gradebook,
cell metadata checked. Grading runs the result, not what the student sent.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbgrader.preprocessors import (
    CheckCellMetadata, ClearOutput, DeduplicateIds, OverwriteCells, OverwriteKernelspec,
)
from traitlets.config import Config

SANITIZERS = [ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata]


class UnreadableNotebook(ValueError):
    """The submitted file is not a notebook nbgrader can grade; the message says why."""


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
    for cls in SANITIZERS:
        try:
            nb, resources = cls(config=config).preprocess(nb, resources)
        except Exception as exc:
            first = (str(exc).strip().splitlines() or [""])[0][:300]
            raise UnreadableNotebook(f"{notebook}.ipynb failed nbgrader's checks ({cls.__name__}): {first}") from None
    for index, cell in enumerate(nb.cells):  # cells nbgrader restored come without an id
        if not cell.get("id"):
            cell["id"] = f"restored-{index}"
    return nb
