"""A real course hub for the tests: JupyterHub, configurable-http-proxy (npm), the formgrader
service and users' servers, on free loopback ports, with the tf_function_pitfalls assignment
regenerated from source/. Each fixture stops everything it started (hub_harness.sweep finds
leftovers by their environment) and, when root, deletes the unix accounts it created."""
from __future__ import annotations

import secrets
import shutil
import tempfile
from pathlib import Path

import pytest

from conftest import ARTIFACTS, REPO

from .hub_harness import Hub, sweep  # noqa: E402  (puts hub/ on sys.path)

import hub_accounts  # noqa: E402
import hub_env  # noqa: E402
from hub_layout import Layout, as_root, prepare  # noqa: E402

ASSIGNMENT = "tf_function_pitfalls"


def course_with(tmp_path_factory, assignment: str, extra_config: str = "") -> Path:
    """A course directory holding one assignment's source and grading files with its
    reference outputs recorded from the solution (the part of `generate` that grading needs;
    the hub's course directory gets its release from nbgrader in hub_layout.prepare).
    `extra_config` is appended to its nbgrader_config.py."""
    from autograder.references import build_references
    root = tmp_path_factory.mktemp("hub") / "course"
    (root / "source").mkdir(parents=True)
    shutil.copy2(REPO / "nbgrader_config.py", root)
    if extra_config:
        with (root / "nbgrader_config.py").open("a") as f:
            f.write("\n" + extra_config + "\n")
    shutil.copytree(REPO / "source" / assignment, root / "source" / assignment)
    shutil.copytree(REPO / "grading" / assignment, root / "grading" / assignment,
                    ignore=shutil.ignore_patterns("reference*.npz", "__pycache__"))
    build_references(root, assignment)
    return root


@pytest.fixture(scope="session")
def hub_course(tmp_path_factory) -> Path:
    """tf_function_pitfalls, ready to grade (course_with)."""
    return course_with(tmp_path_factory, ASSIGNMENT)


def start_hub(course_root: Path, prefix: str, roles: dict[str, str], log_name: str,
              assignment: str = ASSIGNMENT, feedback: bool = False):
    """Prepare a state directory and start a hub on it (with the grading service when
    `feedback`). The state directory is not in pytest's tmp_path: that one is private to root
    (0700) and the users' servers run as other unix accounts, which must reach their homes and
    the exchange inside it."""
    if not Path(hub_env.find_chp()).is_file():
        pytest.fail("configurable-http-proxy missing: `make hub-deps`")
    state = Path(tempfile.mkdtemp(prefix=f"course-hub-{prefix}")).resolve()
    layout = Layout(state, grader=f"{prefix}grader")
    prepare(layout, course_root, [assignment], roles)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    hub = Hub(layout, ARTIFACTS / log_name, admin_token=secrets.token_hex(24), feedback=feedback)
    (ARTIFACTS / log_name).unlink(missing_ok=True)
    try:
        hub.start(timeout=180)
    except BaseException:
        stop_hub(hub)
        raise
    return hub


def stop_hub(hub) -> None:
    hub.stop()
    left = sweep(hub.layout)
    if as_root():
        hub_accounts.remove_unix_users(hub.layout)
    shutil.rmtree(hub.layout.state, ignore_errors=True)
    assert not left, f"processes left running: {left}"


@pytest.fixture
def contexts(browser):
    """Browser contexts of the test; on failure every open page is saved as hub-failure-*.png."""
    made = []

    def new():
        made.append(browser.new_context(viewport={"width": 1400, "height": 900}))
        return made[-1]

    yield new
    for i, ctx in enumerate(made):
        for j, page in enumerate(ctx.pages):
            try:
                page.screenshot(path=str(ARTIFACTS / f"hub-failure-{i}-{j}.png"))
            except Exception:
                pass
        ctx.close()
