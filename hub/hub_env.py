"""The environment contract between the process that starts the hub and jupyterhub_config.py
(COURSE_HUB_* variables, listed in jupyterhub_config.py's docstring), and the environment of
a grader's commands in the course directory (as in a terminal of the formgrader service)."""
from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from hub_layout import HUB_DIR, REPO, Layout, as_root
from hub_python import user_lib_path, user_python

CHP_CANDIDATES = [REPO / "build" / "node" / "node_modules" / ".bin" / "configurable-http-proxy",
                  HUB_DIR / "node_modules" / ".bin" / "configurable-http-proxy"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_chp() -> str:
    for candidate in CHP_CANDIDATES:
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("configurable-http-proxy")
    if found:
        return found
    raise SystemExit("configurable-http-proxy not found: run `make hub-deps` (npm ci into build/node)")


def hub_env(layout: Layout, port: int, ip: str = "127.0.0.1", admin_token: str | None = None,
            ports: tuple[int, int, int] | None = None) -> dict[str, str]:
    """What jupyterhub_config.py reads: everything that differs between `make hub` and a test."""
    env = dict(os.environ)
    env.update({
        "COURSE_HUB_STATE": str(layout.state),
        "COURSE_HUB_IP": ip,
        "COURSE_HUB_PORT": str(port),
        "COURSE_HUB_PORTS": ",".join(str(p) for p in (ports or (free_port(), free_port(), free_port()))),
        "COURSE_HUB_CHP": find_chp(),
        "COURSE_HUB_PYTHON": user_python(),
        "COURSE_HUB_LD_LIBRARY_PATH": user_lib_path(),
        "COURSE_HUB_UNIX_USERS": "1" if as_root() else "0",
        "COURSE_HUB_GRADER_UNIX": layout.grader,
        "CONFIGPROXY_AUTH_TOKEN": secrets.token_hex(24),
        "PATH": f"{Path(sys.executable).parent}:{env.get('PATH', '/usr/bin:/bin')}",
    })
    if admin_token:
        env["COURSE_HUB_ADMIN_TOKEN"] = admin_token
    return env


def hub_command() -> list[str]:
    return [sys.executable, "-m", "jupyterhub", "-f", str(HUB_DIR / "jupyterhub_config.py")]


def grader_env(layout: Layout) -> dict[str, str]:
    """Environment of nbgrader and the batch grader run by a grader in the course directory,
    as in a terminal of the formgrader service (same configuration files)."""
    env = dict(os.environ)
    env.update({
        "HOME": str(layout.grader_home),
        "COURSE_HUB_STATE": str(layout.state),
        "NBGRADER_EXCHANGE": str(layout.exchange),
        "COURSE_HUB_UNIX_USERS": "1" if as_root() else "0",
        "JUPYTER_CONFIG_PATH": os.pathsep.join([str(HUB_DIR / "jupyter" / "grader"), str(Path(sys.prefix) / "etc" / "jupyter")]),
        "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter"),
        "PYTHONPATH": os.pathsep.join([str(HUB_DIR), str(REPO)]),  # this checkout's autograder
        "LD_LIBRARY_PATH": user_lib_path(),
        "PATH": f"{Path(user_python()).parent}:{Path(sys.executable).parent}:{env.get('PATH', '/usr/bin:/bin')}",
    })
    return env


def run_as_grader(layout: Layout, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """`python ARGS` in the course directory as the formgrader service's account
    (e.g. `-m nbgrader collect <a>` or `-m autograder grade <a>`)."""
    cmd = [user_python(), *args]
    if as_root():
        cmd = ["runuser", "-u", layout.grader, "--", *cmd]
    return subprocess.run(cmd, cwd=layout.course, env=grader_env(layout), capture_output=True, text=True,
                          timeout=timeout)
