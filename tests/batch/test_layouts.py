"""The batch grader on machines laid out as graders' machines are, not as this repository's
Makefile sets them up: Fashion-MNIST only in Keras's own cache (~/.keras, KERAS_HOME unset,
as after any earlier load_data()), KERAS_HOME through a chain of links, the course and
KERAS_HOME under /tmp, the grader run through a linked virtualenv, and a course that is a
checkout holding its own virtualenv and the grading package (graded from there). In each, with no network
at all (the whole command runs in an empty network namespace), the training_loop solution
earns every automatic point, and the reference-solution gate lets the batch record it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import course, nbgrader_run
from autograder.submissions import filled_release
from conftest import REPO, SHARED_DATA

ASSIGNMENT = "training_loop"
FILES = SHARED_DATA / "datasets" / "fashion-mnist"

pytestmark = [pytest.mark.xdist_group(ASSIGNMENT),
              pytest.mark.skipif(os.getuid() != 0 or not shutil.which("unshare"),
                                 reason="needs root to take the network away (unshare -n)"),
              pytest.mark.skipif(not FILES.is_dir(), reason="needs ../shared/data")]


def _course_with_solution(root: Path, where: Path) -> Path:
    ws = nbgrader_run.make_workspace(root, where, [ASSIGNMENT])
    (source_nb,) = course.source_notebooks(ws, ASSIGNMENT)
    nbgrader_run.submit(ws, ASSIGNMENT, "ada", filled_release(ws / "release" / ASSIGNMENT / source_nb.name, source_nb))
    return ws


def _grade_offline(python: str, ws: Path, env: dict, cwd: Path = Path("/")) -> subprocess.CompletedProcess:
    return subprocess.run(["unshare", "-n", python, "-m", "autograder", "--course", str(ws), "grade", ASSIGNMENT,
                           "--workers", "1"], env=env, capture_output=True, text=True, timeout=900, cwd=cwd)


def _env(**changes) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("KERAS_HOME", "PYTHONPATH")}
    env["PYTHONPATH"] = str(REPO)
    env.update({k: v for k, v in changes.items() if v is not None})
    return env


def _copy_data(home: Path) -> None:
    target = home / ".keras" / "datasets" / "fashion-mnist"
    target.mkdir(parents=True)
    for path in FILES.iterdir():
        shutil.copy2(path.resolve(), target / path.name)


def _assert_full_marks(proc, ws: Path) -> None:
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    scores = nbgrader_run.cell_scores(ws, ASSIGNMENT)["ada"]
    maxima = nbgrader_run.max_scores(ws, ASSIGNMENT)
    auto = nbgrader_run.auto_graded_ids(ws, ASSIGNMENT)
    assert {cell: scores[cell] for cell in auto} == {cell: maxima[cell] for cell in auto}
    assert sum(maxima[cell] for cell in auto) == 22


def _copy_virtualenv(target: Path) -> None:
    """A copy of the running virtualenv (hard links where the file system allows: seconds)."""
    source = Path(sys.prefix).resolve()
    if subprocess.run(["cp", "-al", str(source), str(target)], capture_output=True).returncode != 0:
        shutil.rmtree(target, ignore_errors=True)
        subprocess.run(["cp", "-a", str(source), str(target)], check=True)


LAYOUTS = ["data_only_in_dot_keras", "linked_keras_home", "course_and_keras_home_under_tmp", "linked_virtualenv",
           "virtualenv_and_grader_inside_the_course"]


@pytest.mark.parametrize("generated", [ASSIGNMENT], indirect=True)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_solution_gets_every_automatic_point(generated, layout, tmp_path):
    _, root = generated
    ws = _course_with_solution(root, tmp_path / "course")
    python, cwd = sys.executable, Path("/")
    if layout == "data_only_in_dot_keras":
        home = tmp_path / "home"
        _copy_data(home)
        env = _env(HOME=str(home))
    elif layout == "linked_keras_home":
        real = tmp_path / "data" / "real-keras"
        _copy_data(real.parent / "holder")
        (real / "datasets").mkdir(parents=True)
        (tmp_path / "data" / "linked-datasets").symlink_to(real.parent / "holder" / ".keras" / "datasets")
        (real / "datasets" / "fashion-mnist").symlink_to(tmp_path / "data" / "linked-datasets" / "fashion-mnist")
        (tmp_path / "keras-home").symlink_to(real)  # KERAS_HOME -> a link -> a folder of links through a link
        env = _env(KERAS_HOME=str(tmp_path / "keras-home"), HOME=str(tmp_path / "nohome"))
    elif layout == "course_and_keras_home_under_tmp":
        assert str(ws).startswith("/tmp/") or str(ws).startswith(os.environ.get("TMPDIR", "/tmp"))
        keras_home = tmp_path / "keras-home"
        (keras_home / "datasets").mkdir(parents=True)
        (keras_home / "datasets" / "fashion-mnist").symlink_to(FILES.resolve())
        env = _env(KERAS_HOME=str(keras_home), HOME=str(tmp_path / "nohome"))
    elif layout == "virtualenv_and_grader_inside_the_course":
        # as `make course` in a checkout: the course folder (hidden from the child) holds the
        # virtualenv and the grading package, and the command runs from there
        _copy_virtualenv(ws / ".venv")
        shutil.copytree(REPO / "autograder", ws / "autograder", ignore=shutil.ignore_patterns("__pycache__"))
        python = str(ws / ".venv" / "bin" / "python")
        home = tmp_path / "home"
        _copy_data(home)
        env = _env(HOME=str(home))
        del env["PYTHONPATH"]
        cwd = ws
        where = subprocess.run([python, "-c", "import autograder, sys; print(autograder.__file__, sys.prefix)"],
                               env=env, cwd=cwd, capture_output=True, text=True, check=True).stdout.split()
        assert where == [str(ws / "autograder" / "__init__.py"), str(ws / ".venv")]  # the layout is what it claims
    else:  # the grader's interpreter is reached through a link to the virtualenv
        link = tmp_path / "venv-link"
        link.symlink_to(Path(sys.prefix).resolve())
        python = str(link / "bin" / "python")
        home = tmp_path / "home"
        _copy_data(home)
        env = _env(HOME=str(home))
    (tmp_path / "nohome").mkdir(exist_ok=True)
    proc = _grade_offline(python, ws, env, cwd)
    _assert_full_marks(proc, ws)
