"""Prepare and run the course hub: `python hub/course_hub.py serve` (what `make hub` runs).

    python hub/course_hub.py serve [--state build/hub] [--port 8000] [--assignments a b ...]
    python hub/course_hub.py prepare [--state build/hub] ...   # only build the state directory
    python hub/course_hub.py accounts [--state build/hub]     # print the demo logins
    python hub/course_hub.py remove-unix-users [--state build/hub]

The other files of hub/ do the work: hub_layout.py (the state directory), hub_accounts.py
(logins and unix accounts), hub_python.py (the users' interpreter), hub_env.py (the
environment jupyterhub_config.py reads). Run as root, every hub user gets a unix account of
the same name and the formgrader and grading services run as the grader's account; without
root everything runs as the caller (docs/hub.md).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hub_accounts import DEFAULT_ACCOUNTS, read_accounts, remove_unix_users  # noqa: E402
from hub_env import hub_command, hub_env  # noqa: E402
from hub_layout import COURSE_ID, DEFAULT_GRADER_UNIX, REPO, Layout, prepare  # noqa: E402


def _print_accounts(layout: Layout, url: str) -> None:
    accounts = read_accounts(layout)
    print(f"\nCourse hub at {url}/ - log in as (user / password / role):")
    for name, a in sorted(accounts.items(), key=lambda kv: (kv[1]["role"], kv[0])):
        print(f"  {name:12s} {a['password']:18s} {a['role']}")
    print(f"Formgrader (instructors, graders): {url}/services/{COURSE_ID}/formgrader  "
          f"(or, in its Lab, Nbgrader > Formgrader)\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["serve", "prepare", "accounts", "remove-unix-users"])
    parser.add_argument("--state", type=Path, default=REPO / "build" / "hub")
    parser.add_argument("--ip", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--assignments", nargs="*", default=None)
    parser.add_argument("--students", nargs="*", default=None, help="student accounts (default: ada ben)")
    args = parser.parse_args(argv)
    layout = Layout(args.state.resolve(), os.environ.get("COURSE_HUB_GRADER_UNIX", DEFAULT_GRADER_UNIX))
    url = f"http://{args.ip}:{args.port}"
    if args.command == "accounts":
        _print_accounts(layout, url)
        return 0
    if args.command == "remove-unix-users":
        print("removed:", " ".join(remove_unix_users(layout)) or "nothing")
        return 0
    sys.path.insert(0, str(REPO))
    from autograder import course
    assignments = args.assignments or course.assignments(REPO)
    roles = dict(DEFAULT_ACCOUNTS)
    if args.students:
        roles = {k: v for k, v in roles.items() if v != "student"} | {s: "student" for s in args.students}
    missing = [a for a in assignments if not course.reference_path(REPO, a).is_file()]
    if missing:  # a fresh clone: reference outputs are generated, not committed
        print(f"generating {', '.join(missing)} (python -m autograder generate)", flush=True)
        subprocess.run([sys.executable, "-m", "autograder", "generate", *missing], cwd=REPO, check=True)
    prepare(layout, REPO, assignments, roles)
    if args.command == "prepare":
        return 0
    _print_accounts(layout, url)
    env = hub_env(layout, args.port, ip=args.ip, ports=(8081, 8001, 9999))
    os.chdir(layout.private)
    os.execve(sys.executable, hub_command(), env)


if __name__ == "__main__":
    sys.exit(main())
