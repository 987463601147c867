"""Build an assignment's otter-grader export: the master notebook, `otter assign`, the zip.

    otter/<a>/<a>.ipynb               master notebook (otter assign format), committed
    otter/<a>/student/<a>.ipynb       what students get on Gradescope, committed
    build/otter/<a>/autograder/*.zip  the Gradescope autograder (holds the reference outputs:
                                      generated on the grading machine, like grading/*.npz)

The zip carries what the hidden checks need beside the submission: the checks module and
reference outputs (`grading/<a>/`), the four modules of `autograder` that judge them, and
Fashion-MNIST for assignments that load it (copied into Keras's cache by setup.sh).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat

from .. import course
from ..errors import AutograderError, LeakFound
from ..kernels import keras_cache_home
from ..leaks import otter_student_leaks
from .master import master_notebook

PACKAGE_MODULES = ("__init__.py", "hidden.py", "compare.py", "course.py", "exports.py", "judge.py", "probe.py",
                   "reference_file.py", "errors.py")
DATA_FOLDER = "fashion-mnist"
PIPPED = ("numpy", "tensorflow", "keras")  # what the notebooks import, pinned as in requirements.txt
KERAS_CACHE_STEP = f"""
# Fashion-MNIST from the autograder zip into Keras's cache: load_data() works offline
mkdir -p /root/.keras/datasets
cp -r {{autograder_dir}}/source/files/{DATA_FOLDER} /root/.keras/datasets/{DATA_FOLDER}
"""


class ExportFailed(AutograderError):
    """`otter assign` failed or produced no autograder zip; the message quotes its output."""


def otter_dir(root: Path, assignment: str) -> Path:
    return root / "otter" / assignment


def build_dir(root: Path, assignment: str) -> Path:
    return root / "build" / "otter" / assignment


def uses_fashion_mnist(source) -> bool:
    return any("fashion_mnist" in c.source for c in source.cells if c.cell_type == "code")


def fashion_mnist_files() -> Path:
    """The folder Keras reads Fashion-MNIST from on this machine."""
    folder = (keras_cache_home() / "datasets" / DATA_FOLDER).resolve()
    if not folder.is_dir():
        raise ExportFailed(f"Fashion-MNIST is not in {folder}: run `make keras-home` or load it once")
    return folder


def pinned_requirements(root: Path) -> str:
    pins = {line.split("==")[0].strip().lower(): line.strip()
            for line in (root / "requirements.txt").read_text().splitlines() if "==" in line}
    return "\n".join(pins[name] for name in PIPPED if name in pins) + "\n"


def assignment_config(assignment: str, data: bool) -> dict:
    files = ["autograder", "grading"] + ([DATA_FOLDER] if data else [])
    return {
        "name": assignment,
        "requirements": "requirements.txt",
        "python_version": "3.11",
        "autograder_files": files,  # in the zip only, never in the student's folder
        "init_cell": True,
        "check_all_cell": False,
        "export_cell": {"pdf": False, "run_tests": True,
                        "instructions": "Upload the zip file this cell makes to Gradescope."},
        "run_tests": False,  # `make test` grades the solution with `otter run` instead
        "strip_solutions_from_all_cells": True,
        "tests": {"files": False, "ok_format": False},
        "generate": {"pdf": False, "show_stdout": True, "show_hidden": False},
    }


def source_notebook(root: Path, assignment: str) -> Path:
    notebooks = course.source_notebooks(root, assignment)
    if len(notebooks) != 1:
        raise ExportFailed(f"{assignment}: the otter export takes one notebook, found {len(notebooks)}")
    return notebooks[0]


def write_master(root: Path, assignment: str, source, data: bool) -> Path:
    """Write otter/<a>/<a>.ipynb from the source notebook (`data`: it loads Fashion-MNIST)."""
    master = master_notebook(source, assignment_config(assignment, data))
    path = otter_dir(root, assignment) / f"{assignment}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(master, path)
    return path


def _stage(root: Path, assignment: str, master: Path, stage: Path, data: bool) -> None:
    """A folder holding the master notebook and the files its configuration names."""
    shutil.rmtree(stage, ignore_errors=True)
    (stage / "autograder").mkdir(parents=True)
    shutil.copy2(master, stage / master.name)
    package = Path(__file__).resolve().parents[1]
    for name in PACKAGE_MODULES:
        shutil.copy2(package / name, stage / "autograder" / name)
    grading = stage / "grading" / assignment
    grading.mkdir(parents=True)
    for name in ("checks.py", "reference.npz"):
        source = course.grading_dir(root, assignment) / name
        if not source.is_file():
            raise ExportFailed(f"{source} is missing: run `python -m autograder generate {assignment}`")
        shutil.copy2(source, grading / name)
    (stage / "requirements.txt").write_text(pinned_requirements(root))
    if data:
        shutil.copytree(fashion_mnist_files(), stage / DATA_FOLDER)


def _add_keras_cache_step(zip_path: Path) -> None:
    """Append the Fashion-MNIST copy to the zip's setup.sh (run once, when Gradescope builds
    the image)."""
    with zipfile.ZipFile(zip_path) as old:
        entries = [(info, old.read(info)) for info in old.infolist()]
    config = next(data for info, data in entries if info.filename == "otter_config.json")
    autograder_dir = json.loads(config).get("autograder_dir", "/autograder")
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in entries:
            if info.filename == "setup.sh":
                data += KERAS_CACHE_STEP.format(autograder_dir=autograder_dir).encode()
            new.writestr(info, data)


def _number_cells(path: Path) -> None:
    """Stable cell ids (otter gives the cells it adds random ones), so that a regenerated
    student notebook is byte for byte the committed one."""
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
    nbformat.write(nb, path)


def export_assignment(root: Path, assignment: str) -> Path:
    """Regenerate otter/<a>/ and build the autograder zip; return the zip's path."""
    source_path = source_notebook(root, assignment)
    source = nbformat.read(source_path, as_version=4)
    data = uses_fashion_mnist(source)
    master = write_master(root, assignment, source, data)
    stage = build_dir(root, assignment) / "stage"
    _stage(root, assignment, master, stage, data)
    dist = build_dir(root, assignment) / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    run = subprocess.run([sys.executable, "-m", "otter", "assign", "--no-pdfs", master.name, str(dist)],
                         cwd=stage, capture_output=True, text=True)
    zips = sorted((dist / "autograder").glob("*.zip"))
    if run.returncode != 0 or not zips:
        raise ExportFailed(f"otter assign {assignment} failed (exit {run.returncode}):\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
    zip_path = zips[-1]
    if data:
        _add_keras_cache_step(zip_path)
    student = otter_dir(root, assignment) / "student"
    shutil.rmtree(student, ignore_errors=True)
    shutil.copytree(dist / "student", student)
    _number_cells(student / master.name)
    problems = otter_student_leaks(student / master.name, source_path)
    if problems:
        raise LeakFound(f"otter/{assignment}/student:\n" + "\n".join(problems))
    final = build_dir(root, assignment) / "autograder" / f"{assignment}-autograder.zip"
    final.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(zip_path, final)
    return final
