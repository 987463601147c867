"""Unix accounts of the course hub (root only): an account left by a hub that crashed is moved
to the new hub's home, never served from the old state directory; others' accounts are refused."""
from __future__ import annotations

import pwd
import shutil
import tempfile
from pathlib import Path

import pytest

from . import hub_harness  # noqa: F401  (puts hub/ on sys.path)

import hub_accounts  # noqa: E402
from hub_layout import Layout, as_root  # noqa: E402

pytestmark = pytest.mark.skipif(not as_root(), reason="unix accounts are made only when the hub runs as root")

NAME = "acct-left"


@pytest.fixture
def layouts():
    made = [Layout(Path(tempfile.mkdtemp(prefix="course-hub-acct-")).resolve(), grader="acct-grader") for _ in range(2)]
    yield made
    for layout in made:
        hub_accounts.remove_unix_users(layout)
        shutil.rmtree(layout.state, ignore_errors=True)


def test_an_account_left_by_a_crashed_hub_moves_to_the_new_home(layouts):
    crashed, new = layouts
    for layout in layouts:
        layout.private.mkdir(parents=True)
    left = hub_accounts.ensure_unix_user(crashed, NAME)
    assert Path(left.pw_dir) == crashed.homes / NAME
    (crashed.homes / NAME / "stale.txt").write_text("the earlier course's work")

    entry = hub_accounts.ensure_unix_user(new, NAME)

    assert Path(entry.pw_dir) == new.homes / NAME == Path(pwd.getpwnam(NAME).pw_dir)
    assert entry.pw_uid == left.pw_uid
    assert not (new.homes / NAME / "stale.txt").exists()
    assert hub_accounts.remove_unix_users(new) == [NAME]  # the new hub removes it with its own
    with pytest.raises(KeyError):
        pwd.getpwnam(NAME)


def test_an_account_not_made_by_the_hub_is_refused(layouts):
    layouts[0].private.mkdir(parents=True)
    with pytest.raises(PermissionError, match="'daemon' exists and was not created by the course hub"):
        hub_accounts.ensure_unix_user(layouts[0], "daemon")
    assert pwd.getpwnam("daemon").pw_dir != str(layouts[0].homes / "daemon")
