"""The hub's state directory: where everything lives, and how `prepare` builds it.

    hub-private/   0700  accounts.json (demo passwords), the hub's database, cookie secret
    course/        0700  the course directory of the formgrader service (source/, release/,
                         grading/ with the reference outputs, gradebook.db, submitted/, ...)
    exchange/      0777  nbgrader's exchange (<course>/outbound, inbound 0733, feedback 0711)
    home/          0711  one private (0700) home per user

Every other file of hub/ takes its paths from a Layout, so the CLI, jupyterhub_config.py, the
grading service and the tests agree on them.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

HUB_DIR = Path(__file__).resolve().parent
REPO = HUB_DIR.parent
COURSE_ID = "tf-deep-learning"
DEFAULT_GRADER_UNIX = "grader-tf-course"


def as_root() -> bool:
    return os.geteuid() == 0


@dataclass(frozen=True)
class Layout:
    state: Path
    # the unix account of the formgrader service and the grading service (owner of course/)
    grader: str = DEFAULT_GRADER_UNIX

    @property
    def private(self) -> Path:
        return self.state / "hub-private"

    @property
    def accounts(self) -> Path:
        return self.private / "accounts.json"

    @property
    def course(self) -> Path:
        return self.state / "course"

    @property
    def exchange(self) -> Path:
        return self.state / "exchange"

    @property
    def homes(self) -> Path:
        return self.state / "home"

    @property
    def grader_home(self) -> Path:
        return self.homes / self.grader

    @property
    def created_users(self) -> Path:
        return self.private / "unix-users.txt"


def prepare(layout: Layout, course_root: Path, assignments: list[str], roles: dict[str, str],
            require_references: bool = True) -> dict:
    """Create the state directory: accounts, the course (release generated with nbgrader from
    `course_root`'s source/ and grading/, reference outputs included), exchange and homes.
    Without the reference outputs the course can be released and collected, not graded."""
    sys.path.insert(0, str(REPO))
    from autograder import course, nbgrader_run

    import hub_accounts

    layout.state.mkdir(parents=True, exist_ok=True)
    os.chmod(layout.state, 0o711)
    accounts = hub_accounts.write_accounts(layout, roles)
    missing = [a for a in assignments if not course.reference_path(course_root, a).is_file()]
    if missing and require_references:
        raise SystemExit(f"reference outputs missing for {', '.join(missing)}: "
                         "run `python -m autograder generate` first (make course)")
    if not (layout.course / "gradebook.db").is_file():
        nbgrader_run.make_workspace(course_root, layout.course, assignments)
    layout.exchange.mkdir(exist_ok=True)
    os.chmod(layout.exchange, 0o777)  # what nbgrader's release sets (it checks and warns otherwise)
    layout.homes.mkdir(exist_ok=True)
    os.chmod(layout.homes, 0o711)
    layout.grader_home.mkdir(exist_ok=True)
    if as_root():
        grader = hub_accounts.ensure_unix_user(layout, layout.grader)
        hub_accounts.chown_tree(layout.course, grader.pw_uid, grader.pw_gid)
        os.chown(layout.exchange, grader.pw_uid, grader.pw_gid)
    os.chmod(layout.course, 0o700)
    return accounts
