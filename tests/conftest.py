"""Fixtures: throwaway courses built in tmp_path, and the real course directory."""
from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from autograder import course

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data" / "keras"


def pytest_configure(config):
    # Kernels started by the tests read Fashion-MNIST offline from a writable KERAS_HOME.
    if "KERAS_HOME" not in os.environ and SHARED_DATA.is_dir():
        home = Path(os.environ.get("TMPDIR", "/tmp")) / f"autograder-keras-home-{os.getuid()}"
        (home / "datasets").mkdir(parents=True, exist_ok=True)
        link = home / "datasets" / "fashion-mnist"
        if not link.exists():
            link.symlink_to(SHARED_DATA / "datasets" / "fashion-mnist")
        os.environ["KERAS_HOME"] = str(home)


def pool_processes() -> set[int]:
    """This process's children that are pools' zygotes (autograder.runner.zygote)."""
    found = set()
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            parent = int(Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()[1])
            if parent == os.getpid() and b"autograder.runner.zygote" in Path(entry.path, "cmdline").read_bytes():
                found.add(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue  # ended while being read
    return found


@pytest.fixture(autouse=True)
def no_pool_outlives_its_test():
    """A pool a test leaves open is a zygote holding TensorFlow (~340 MB) for as long as the
    pytest worker lives: seen, eight of them left by the grading service's tests."""
    before = pool_processes()
    yield
    left = pool_processes() - before
    assert not left, f"pools' zygotes left running by this test: {sorted(left)} (close the pool or service)"


def _cell(kind, source, grade_id=None, **flags):
    cell = nbformat.v4.new_markdown_cell(source) if kind == "markdown" else nbformat.v4.new_code_cell(source)
    if grade_id:
        meta = {"schema_version": 3, "grade_id": grade_id, "locked": False, "solution": False,
                "grade": False, "task": False}
        meta.update(flags)
        cell.metadata["nbgrader"] = meta
    return cell


MINI_CHECKS = '''
import numpy as np
from autograder import hidden_check, Close, Exact

@hidden_check(compare={"y": Close(rtol=1e-9, atol=0), "n": Exact()})
def double_values(double):
    x = np.random.default_rng(7).normal(size=(3, 4))
    return {"y": double(x), "n": 12}
'''

MINI_WRONG = '''"""Adds instead of multiplying."""
# loses: double_values
# %% cell: double_answer
def double(x):
    return x + 2
'''


def course_notebook(cells):
    """A source notebook of `cells`, with the kernel and the cell ids a course's notebooks carry."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    nb.cells = cells
    for i, c in enumerate(nb.cells):
        c["id"] = f"c{i}"
    return nb


def build_course(root: Path, name: str, notebook, checks: str) -> Path:
    """Write assignment `name` (its source notebook and its checks.py) into the course at `root`,
    with the repository's nbgrader_config.py."""
    (root / "source" / name).mkdir(parents=True)
    shutil.copy2(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    nbformat.write(notebook, root / "source" / name / f"{name}.ipynb")
    (root / "grading" / name).mkdir(parents=True)
    (root / "grading" / name / "checks.py").write_text(checks)
    return root


def mini_notebook(name: str = "mini"):
    return course_notebook([
        _cell("markdown", "# Mini · 迷你\nWrite `double(x)`."),
        _cell("code", "import numpy as np", "imports", locked=True),
        _cell("code", "def double(x):\n    ### BEGIN SOLUTION\n    return np.asarray(x) * 2.0\n    ### END SOLUTION",
              "double_answer", solution=True),
        _cell("code", "assert np.shape(double(np.ones(3))) == (3,)\n### BEGIN HIDDEN TESTS\nfrom autograder import check\n"
              f"check(\"{name}.double_values\", double)\n### END HIDDEN TESTS",
              "double_values", grade=True, locked=True, points=2),
        _cell("markdown", "Why is doubling useful?\n\n### BEGIN SOLUTION\nModel answer. **Rubric**: 1 point.\n### END SOLUTION",
              "why_double", grade=True, solution=True, points=1),
    ])


def build_mini_course(root: Path, name: str = "mini") -> Path:
    """Write the one-assignment course `name` (a hidden check and a wrong variant) at `root`;
    called again with another name, it adds a second such assignment."""
    build_course(root, name, mini_notebook(name), MINI_CHECKS)
    (root / "tests" / "wrong_variants" / name).mkdir(parents=True)
    (root / "tests" / "wrong_variants" / name / "adds_instead_of_multiplying.py").write_text(MINI_WRONG)
    return root


@pytest.fixture
def mini_course(tmp_path) -> Path:
    """A one-assignment course ('mini'), not generated; no TensorFlow in its notebook."""
    return build_mini_course(tmp_path / "course")


@pytest.fixture(scope="session")
def generated_mini(tmp_path_factory) -> Path:
    """The mini course after `generate` (release, references, solutions). Read-only: copy it
    (copy_course) before changing anything."""
    from autograder.generate import generate
    root = build_mini_course(tmp_path_factory.mktemp("generated") / "course")
    generate(root, "mini", progress=lambda message: None)
    return root


def copy_course(root: Path, dest: Path) -> Path:
    shutil.copytree(root, dest, symlinks=True)
    return dest


# -- the real course, one assignment at a time ------------------------------------------

ASSIGNMENTS = course.assignments(REPO) if (REPO / "source").is_dir() else []
# one xdist group per assignment: its session fixtures are built once, on one worker
ASSIGNMENT_PARAMS = [pytest.param(a, marks=pytest.mark.xdist_group(a)) for a in ASSIGNMENTS]


# Tests whose mechanism does not depend on what an assignment asks: `make test` runs them on one
# assignment (the one whose notebook needs the most of its environment: Fashion-MNIST, training),
# `make test-exhaustive` on every other (before a release).
ONE_ASSIGNMENT_BY_DEFAULT = {"test_otter_run_gives_the_points_nbgrader_gives": "training_loop"}


def pytest_collection_finish(session):
    """On an xdist worker under --dist loadgroup, every test with an xdist_group mark must carry
    the group in its node id: that suffix is how xdist keeps a group on one worker. pytest 9.2
    ignores it, and the suite then silently builds each assignment's course, proof and module
    fixtures on both workers."""
    if not getattr(session.config.option, "loadgroup", False):
        return
    lost = [item.nodeid for item in session.items
            if any(item.iter_markers("xdist_group")) and "@" not in item.nodeid.rsplit("]", 1)[-1]]
    if lost:
        message = (f"pytest-xdist's loadgroup did not group {len(lost)} tests (e.g. {lost[0]}): "
                   f"pytest {pytest.__version__} with this pytest-xdist; see requirements.txt")
        print(message, file=sys.__stderr__)  # a worker's exception reaches the terminal as a bare crash
        raise pytest.UsageError(message)


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(config, items):
    for item in items:
        default = ONE_ASSIGNMENT_BY_DEFAULT.get(getattr(item, "originalname", ""))
        callspec = getattr(item, "callspec", None)
        if default and callspec is not None and callspec.params.get("generated", default) != default:
            item.add_marker(pytest.mark.exhaustive)


_REGENERATED: dict[str, Path] = {}


def regenerated_course(tmp_path_factory, assignment: str) -> Path:
    """A copy of the course holding one assignment, regenerated from source/ once per worker,
    even if pytest tears the parametrised session fixture down in between (it does when a test
    asks for another parameter): each build runs the solution and records its references (20-60 s)."""
    if assignment not in _REGENERATED:
        _REGENERATED[assignment] = _regenerate(tmp_path_factory, assignment)
    return _REGENERATED[assignment]


def _regenerate(tmp_path_factory, assignment: str) -> Path:
    from autograder.generate import generate
    root = tmp_path_factory.mktemp(assignment) / "course"
    root.mkdir()
    shutil.copy2(REPO / "nbgrader_config.py", root)
    shutil.copy2(REPO / "requirements.txt", root)
    shutil.copytree(REPO / "source" / assignment, root / "source" / assignment)
    shutil.copytree(REPO / "grading" / assignment, root / "grading" / assignment,
                    ignore=shutil.ignore_patterns("reference*.npz", "__pycache__"))
    for corpus in ("wrong_variants", "honest_variants"):
        variants = REPO / "tests" / corpus / assignment
        if variants.is_dir():
            shutil.copytree(variants, root / "tests" / corpus / assignment)
    generate(root, assignment, progress=lambda message: None)
    return root


@dataclass
class Proven:
    proof: object  # autograder.prove.Proof
    course: Path  # the throwaway course it graded: submitted/, autograded/, gradebook.db
    attackers: list[str]  # the students of the attack corpus (attack_corpus.submit_attacks)


_PROVEN: dict[str, Proven] = {}


def proven(tmp_path_factory, assignment: str) -> Proven:
    """The assignment's whole corpus in one batch of the batch grader, once per worker: prove()'s
    solution, blank release, wrong variants and honest alternatives (with the margins), and the
    attacks (tests/batch/attacks/). One batch, so one reference-solution gate and one TensorFlow
    import serve the proof (test_course.py) and the attacks (batch/test_attacks.py)."""
    if assignment not in _PROVEN:
        from attack_corpus import submit_attacks
        from autograder.prove import batch_autograde, prove
        root = regenerated_course(tmp_path_factory, assignment)
        workdir = tmp_path_factory.mktemp(f"batch-proof-{assignment}")
        attackers: list[str] = []

        def grade_with_attacks(ws: Path, name: str) -> None:
            attackers.extend(submit_attacks(ws, name))
            batch_autograde(ws, name)
        proof = prove(root, assignment, workdir=workdir, autograde=grade_with_attacks, margins=True)
        _PROVEN[assignment] = Proven(proof, workdir / "course", attackers)
    return _PROVEN[assignment]


@pytest.fixture(scope="session", params=ASSIGNMENT_PARAMS)
def generated(request, tmp_path_factory):
    """(assignment, course root): one assignment regenerated from source/ (release, reference
    outputs, solutions) in a throwaway course, once per session and worker (each assignment is
    an xdist group). Read-only."""
    return request.param, regenerated_course(tmp_path_factory, request.param)


# -- a real browser ---------------------------------------------------------------------

ARTIFACTS = REPO / "build" / "test-artifacts"  # screenshots and logs kept after the run
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (`make browser` installs it)."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (make browser)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()
