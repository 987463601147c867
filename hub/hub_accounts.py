"""Who can log in to the course hub: the demo accounts file (one random password each) and,
when the hub runs as root, one unix account per hub user.

Unix accounts made here carry the comment MARKER, so that `remove_unix_users` deletes only
those, and an existing account without it is refused (a hub user never becomes `daemon`).
"""
from __future__ import annotations

import json
import os
import pwd
import secrets
import subprocess
from pathlib import Path

from hub_layout import Layout

MARKER = "nbgrader course hub"
DEFAULT_ACCOUNTS = {"instructor": "instructor", "grader": "grader", "ada": "student", "ben": "student"}


def write_accounts(layout: Layout, roles: dict[str, str]) -> dict:
    """Give each new account a random password; keep the passwords of existing ones."""
    layout.private.mkdir(parents=True, exist_ok=True)
    os.chmod(layout.private, 0o700)
    accounts = read_accounts(layout) if layout.accounts.is_file() else {}
    for name, role in roles.items():
        if name not in accounts:
            accounts[name] = {"role": role, "password": secrets.token_urlsafe(12)}
    tmp = layout.accounts.with_suffix(".tmp")
    tmp.write_text(json.dumps(accounts, indent=1, sort_keys=True))
    os.chmod(tmp, 0o600)
    tmp.replace(layout.accounts)
    return accounts


def read_accounts(layout: Layout) -> dict:
    return json.loads(layout.accounts.read_text())


# -- unix accounts (root only) -----------------------------------------------------------------

def ensure_unix_user(layout: Layout, name: str) -> pwd.struct_passwd:
    """The unix account `name` with a private home under the state directory. An account that
    exists but was not made by this hub is refused (a hub user must not become e.g. `daemon`).
    One a course hub made for another state directory (a hub that crashed or was stopped without
    `remove-users`) is moved to this one's home, so that nobody opens a stale course's files."""
    home = layout.homes / name
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        proc = subprocess.run(
            ["useradd", "--no-create-home", "--home-dir", str(home), "--shell", "/bin/bash",
             "--comment", MARKER, "--user-group", name],
            capture_output=True, text=True)
        if proc.returncode not in (0, 9):  # 9: created meanwhile by a concurrent call
            raise RuntimeError(f"useradd {name}: {proc.stderr.strip()}")
        _note_created(layout, name)
        entry = pwd.getpwnam(name)
    if entry.pw_gecos.split(",")[0] != MARKER:
        raise PermissionError(f"unix account {name!r} exists and was not created by the course hub")
    if Path(entry.pw_dir) != home:
        proc = subprocess.run(["usermod", "--home", str(home), name], capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"usermod {name}: {proc.stderr.strip()}")
        _note_created(layout, name)  # removed with this hub's accounts from now on
        entry = pwd.getpwnam(name)
    home.mkdir(parents=True, exist_ok=True)
    os.chown(home, entry.pw_uid, entry.pw_gid)
    os.chmod(home, 0o700)
    return entry


def _note_created(layout: Layout, name: str) -> None:
    with layout.created_users.open("a") as f:
        f.write(name + "\n")


def remove_unix_users(layout: Layout) -> list[str]:
    removed = []
    if not layout.created_users.is_file():
        return removed
    for name in sorted(set(layout.created_users.read_text().split())):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        if entry.pw_gecos.split(",")[0] == MARKER:
            subprocess.run(["userdel", name], capture_output=True)
            removed.append(name)
    layout.created_users.unlink()
    return removed


def chown_tree(path: Path, uid: int, gid: int) -> None:
    os.chown(path, uid, gid, follow_symlinks=False)
    for dirpath, dirnames, filenames in os.walk(path):
        for n in dirnames + filenames:
            os.chown(os.path.join(dirpath, n), uid, gid, follow_symlinks=False)
