"""Sanitise a submitted notebook exactly as `nbgrader autograde` does, before it runs, and
derive from the course's configuration the pipeline that records it afterwards.

Both pipelines come from `nbgrader_config.py` (Autograde.sanitize_preprocessors and
Autograde.autograde_preprocessors, or nbgrader's defaults): the sanitising steps in nbgrader's
order (outputs cleared, duplicate cell ids resolved, the kernelspec overwritten, locked and
test cells restored from the gradebook, cell metadata checked); grading runs the result, not
what the student sent. The recording pipeline is the configured autograde pipeline after
nbgrader's Execute (the batch ran the notebook and judged its outputs), without the steps the
sanitising pass already ran on this very notebook (recorder.py runs it).
"""
from __future__ import annotations

import json
import logging
from pathlib import Path

import nbformat
from nbconvert.preprocessors import Preprocessor
from nbgrader.api import Gradebook
from nbgrader.converters import Autograde
from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.preprocessors import (
    CheckCellMetadata,
    Execute,
    OverwriteCells,
    OverwriteKernelspec,
)
from sqlalchemy.orm import Session
from traitlets.config import Config


class UnreadableNotebook(ValueError):
    """The submitted file is not a notebook nbgrader can grade; the message says why."""


def _configured(config: Config, name: str) -> list:
    section = config.Autograde
    return list(section[name]) if name in section else list(Autograde.class_traits()[name].default())


def sanitizers(config: Config) -> list:
    return _configured(config, "sanitize_preprocessors")


def recording_pipeline(config: Config) -> list:
    """The configured autograde pipeline without Execute and the sanitisers, in its order."""
    done = set(sanitizers(config))
    steps = _configured(config, "autograde_preprocessors")
    executes = [step for step in steps if step is Execute or (isinstance(step, type) and issubclass(step, Execute))]
    if not executes:
        raise ValueError("nbgrader_config.py's Autograde.autograde_preprocessors has no Execute step: "
                         "the batch grader runs the notebooks in its place")
    return [step for step in steps if step not in done and step not in executes]


def read_submission(path: Path):
    try:
        nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        nb = nbformat.convert(nb, 4)
    except Exception as exc:  # nbformat raises several types for bad JSON / schema
        first = (str(exc).strip().splitlines() or [""])[0][:200]
        raise UnreadableNotebook(f"{path.name} could not be read as a notebook ({type(exc).__name__}: {first})") from None
    return nb


class AssignmentCells(Gradebook):
    """The gradebook as the sanitising steps read it: the assignment's stored cells, looked up
    once per batch (generate_assignment wrote them; nothing in a batch changes them).

    One session for every thread, unlike nbgrader's thread-local one: the batch builds and
    closes this in the grading thread and reads through it in the preparing thread too
    (always under the batch's gradebook lock), and a thread-local session of the preparing
    thread would keep its connection after close() until a garbage collection."""

    def __init__(self, db_url: str):
        super().__init__(db_url)
        self.db.remove()
        self.db = Session(bind=self.engine, autoflush=True)
        self.found: dict[tuple, object] = {}

    def close(self) -> None:
        self.db.close()
        self.engine.dispose()

    def _once(self, lookup, *key):
        if (lookup.__name__, *key) not in self.found:
            self.found[(lookup.__name__, *key)] = lookup(*key)
        return self.found[(lookup.__name__, *key)]

    def find_notebook(self, name: str, assignment: str):
        return self._once(super().find_notebook, name, assignment)

    def find_source_cell(self, name: str, notebook: str, assignment: str):
        return self._once(super().find_source_cell, name, notebook, assignment)

    def find_graded_cell(self, name: str, notebook: str, assignment: str):
        return self._once(super().find_graded_cell, name, notebook, assignment)


class RememberingValidator(MetadataValidator):
    """nbgrader's cell metadata validator, which validates each distinct (cell type, nbgrader
    metadata) once: its verdict depends on nothing else, and a class's notebooks share most of
    their cells (jsonschema checks the schema itself on every call)."""

    def __init__(self):
        super().__init__()
        self.valid: set[tuple[str, str]] = set()

    def validate_cell(self, cell) -> None:
        key = (cell.cell_type, json.dumps(cell.metadata.get("nbgrader"), sort_keys=True, default=str))
        if key not in self.valid:
            super().validate_cell(cell)
            self.valid.add(key)


class Sanitizer:
    """The course's sanitising pipeline for one batch: its steps built once; the steps that read
    the assignment's cells from the gradebook (nbgrader's OverwriteCells and OverwriteKernelspec
    open it anew for every notebook) share one connection (AssignmentCells), and
    CheckCellMetadata's validator remembers what it validated."""

    def __init__(self, config: Config, db_url: str):
        self.db_url = db_url
        self.steps = [cls(config=config) for cls in sanitizers(config)]
        for step in self.steps:
            step.log.setLevel(logging.ERROR)
        self.gradebook = AssignmentCells(db_url)
        self.validator = RememberingValidator()

    def close(self) -> None:
        self.gradebook.close()

    def __call__(self, nb, assignment: str, notebook: str, student: str):
        resources = {"nbgrader": {"db_url": self.db_url, "assignment": assignment, "notebook": notebook,
                                  "student": student}}
        for step in self.steps:
            try:
                if type(step) is OverwriteCells:
                    nb, resources = self._overwrite_cells(step, nb, resources)
                elif type(step) is OverwriteKernelspec:
                    self._overwrite_kernelspec(nb, assignment, notebook)
                elif type(step) is CheckCellMetadata:
                    self._check_cell_metadata(nb)
                else:
                    nb, resources = step.preprocess(nb, resources)
            except Exception as exc:
                first = (str(exc).strip().splitlines() or [""])[0][:300]
                raise UnreadableNotebook(f"{notebook}.ipynb failed nbgrader's checks ({type(step).__name__}): "
                                         f"{first}") from None
        for index, cell in enumerate(nb.cells):  # cells nbgrader restored come without an id
            if not cell.get("id"):
                cell["id"] = f"restored-{index}"
        return nb

    def _overwrite_cells(self, step: OverwriteCells, nb, resources):
        """OverwriteCells.preprocess on this connection."""
        info = resources["nbgrader"]
        step.notebook_id, step.assignment_id, step.db_url = info["notebook"], info["assignment"], info["db_url"]
        step.gradebook = self.gradebook
        nb, resources = Preprocessor.preprocess(step, nb, resources)
        if step.add_missing_cells:
            nb, resources = step.add_missing_grade_cells(nb, resources)
            nb, resources = step.add_missing_task_cells(nb, resources)
        return nb, resources

    def _check_cell_metadata(self, nb) -> None:
        """CheckCellMetadata.preprocess with the remembering validator."""
        try:
            self.validator.validate_nb(nb)
        except ValidationError:
            raise ValidationError("Notebook failed to validate; the nbgrader metadata may be corrupted.") from None

    def _overwrite_kernelspec(self, nb, assignment: str, notebook: str) -> None:
        """OverwriteKernelspec.preprocess on this connection."""
        kernelspec = self.gradebook.find_notebook(notebook, assignment).kernelspec
        if kernelspec:
            kernelspec = json.loads(kernelspec)
        if kernelspec:
            nb.metadata["kernelspec"] = kernelspec
