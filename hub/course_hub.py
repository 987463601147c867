"""Prepare and run the course hub: `python hub/course_hub.py serve` (what `make hub` runs).

    python hub/course_hub.py serve [--state build/hub] [--port 8000] [--assignments a b ...]
    python hub/course_hub.py accounts [--state build/hub]     # print the demo logins
    python hub/course_hub.py remove-unix-users [--state build/hub]

The state directory holds everything the hub writes:

    hub-private/   0700  accounts.json (demo passwords), the hub's database, cookie secret
    course/        0700  the course directory of the formgrader service (source/, release/,
                         grading/ with the reference outputs, gradebook.db, submitted/, ...)
    exchange/      0777  nbgrader's exchange (<course>/outbound, inbound 0733, feedback 0711)
    home/          0711  one private (0700) home per user

Run as root, every hub user gets a unix account of the same name (created on first login,
marked "nbgrader course hub" so that `remove-unix-users` deletes only those) and the
formgrader service runs as its own unix account. Without root everything runs as the caller.
The tests import Hub from here to run a hub on free loopback ports and stop it cleanly.
"""
from __future__ import annotations

import argparse
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HUB_DIR = Path(__file__).resolve().parent
REPO = HUB_DIR.parent
COURSE_ID = "tf-deep-learning"
MARKER = "nbgrader course hub"
GRADER_UNIX = os.environ.get("COURSE_HUB_GRADER_UNIX", "grader-tf-course")
DEFAULT_ACCOUNTS = {"instructor": "instructor", "grader": "grader", "ada": "student", "ben": "student"}
CHP_CANDIDATES = [REPO / "build" / "node" / "node_modules" / ".bin" / "configurable-http-proxy",
                  HUB_DIR / "node_modules" / ".bin" / "configurable-http-proxy"]


@dataclass(frozen=True)
class Layout:
    state: Path

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
    def created_users(self) -> Path:
        return self.private / "unix-users.txt"


def as_root() -> bool:
    return os.geteuid() == 0


# -- accounts ----------------------------------------------------------------------------------

def write_accounts(layout: Layout, roles: dict[str, str]) -> dict:
    """Give each new account a random password; keep the passwords of existing ones."""
    layout.private.mkdir(parents=True, exist_ok=True)
    os.chmod(layout.private, 0o700)
    accounts = json.loads(layout.accounts.read_text()) if layout.accounts.is_file() else {}
    for name, role in roles.items():
        if name not in accounts:
            accounts[name] = {"role": role, "password": secrets.token_urlsafe(12)}
    tmp = layout.accounts.with_suffix(".tmp")
    tmp.write_text(json.dumps(accounts, indent=1, sort_keys=True))
    os.chmod(tmp, 0o600)
    tmp.replace(layout.accounts)
    return accounts


# -- unix accounts (root only) -----------------------------------------------------------------

def ensure_unix_user(layout: Layout, name: str) -> pwd.struct_passwd:
    """The unix account `name` with a private home under the state directory. An account that
    exists but was not made by this hub is refused (a hub user must not become e.g. `daemon`)."""
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
        with layout.created_users.open("a") as f:
            f.write(name + "\n")
        entry = pwd.getpwnam(name)
    if entry.pw_gecos.split(",")[0] != MARKER:
        raise PermissionError(f"unix account {name!r} exists and was not created by the course hub")
    home = Path(entry.pw_dir)
    home.mkdir(parents=True, exist_ok=True)
    os.chown(home, entry.pw_uid, entry.pw_gid)
    os.chmod(home, 0o700)
    return entry


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


# -- the course --------------------------------------------------------------------------------

def prepare(layout: Layout, course_root: Path, assignments: list[str], roles: dict[str, str],
            require_references: bool = True) -> dict:
    """Create the state directory: accounts, the course (release generated with nbgrader from
    `course_root`'s source/ and grading/, reference outputs included), exchange and homes.
    Without the reference outputs the course can be released and collected, not graded."""
    sys.path.insert(0, str(REPO))
    from autograder import course, nbgrader_run

    layout.state.mkdir(parents=True, exist_ok=True)
    os.chmod(layout.state, 0o711)
    accounts = write_accounts(layout, roles)
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
    grader_home = layout.homes / GRADER_UNIX
    grader_home.mkdir(exist_ok=True)
    if as_root():
        grader = ensure_unix_user(layout, GRADER_UNIX)
        chown_tree(layout.course, grader.pw_uid, grader.pw_gid)
        os.chown(layout.exchange, grader.pw_uid, grader.pw_gid)
    os.chmod(layout.course, 0o700)
    return accounts


def _reachable_by_others(path: Path) -> bool:
    """Can any unix user run this file (every folder above it searchable by others)?"""
    path = path.resolve()
    return all(os.stat(p).st_mode & 0o001 for p in path.parents) and bool(os.stat(path).st_mode & 0o005)


def user_python() -> str:
    """The interpreter of the users' servers and kernels. With one unix account per user it
    must be runnable by them: this project's virtualenv usually is, but not when its base
    interpreter lives in a private home (pyenv under /root, mode 0700). Then the base
    installation (interpreter, libpython, standard library: not its site-packages) is linked
    into build/hub-python-base (hard links, a copy across file systems) and a virtualenv
    build/hub-python made from it sees this virtualenv's packages through a .pth file. Same
    interpreter build, nothing changed in /root. Servers need LD_LIBRARY_PATH=user_lib_path()."""
    if not as_root() or _reachable_by_others(Path(sys.executable)):
        return sys.executable
    minor = f"python{sys.version_info.major}.{sys.version_info.minor}"
    base = REPO / "build" / "hub-python-base"
    target = REPO / "build" / "hub-python"
    python = target / "bin" / "python"
    site = next(Path(p) for p in sys.path if p.endswith("site-packages") and p.startswith(sys.prefix))
    pth = f"import site; site.addsitedir({str(site)!r})\n"
    pth_file = target / "lib" / minor / "site-packages" / "course_venv.pth"
    if python.exists() and pth_file.is_file() and pth_file.read_text() == pth:
        return str(python)
    lock = REPO / "build" / "hub-python.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    import fcntl
    with lock.open("w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)  # two test workers may get here at once
        if python.exists() and pth_file.is_file() and pth_file.read_text() == pth:
            return str(python)
        shutil.rmtree(base, ignore_errors=True)
        shutil.rmtree(target, ignore_errors=True)
        src = Path(sys.base_prefix)

        def link(a, b):
            try:
                os.link(a, b)
            except OSError:
                shutil.copy2(a, b)

        def skip(folder, names):
            return ["site-packages", "__pycache__", "test", "idlelib", "tkinter"] if Path(folder) == src / "lib" / minor else []

        shutil.copytree(src / "bin", base / "bin", symlinks=True, copy_function=link)
        shutil.copytree(src / "lib", base / "lib", symlinks=True, copy_function=link, ignore=skip)
        (base / "lib" / minor / "site-packages").mkdir()
        exe = base / "bin" / Path(sys._base_executable).resolve().name
        env = dict(os.environ, LD_LIBRARY_PATH=str(base / "lib"))
        subprocess.run([str(exe), "-m", "venv", "--without-pip", str(target)], check=True, env=env)
        pth_file.write_text(pth)
    return str(python)


def user_lib_path() -> str:
    """LD_LIBRARY_PATH for user_python(): its libpython, whose RUNPATH points to the original."""
    base = REPO / "build" / "hub-python-base" / "lib"
    return str(base) if user_python() != sys.executable else os.environ.get("LD_LIBRARY_PATH", "")


def grader_env(layout: Layout) -> dict[str, str]:
    """Environment of nbgrader and the batch grader run by a grader in the course directory,
    as in a terminal of the formgrader service (same configuration files)."""
    env = dict(os.environ)
    env.update({
        "HOME": str(layout.homes / GRADER_UNIX),
        "COURSE_HUB_STATE": str(layout.state),
        "NBGRADER_EXCHANGE": str(layout.exchange),
        "COURSE_HUB_UNIX_USERS": "1" if as_root() else "0",
        "JUPYTER_CONFIG_PATH": os.pathsep.join([str(HUB_DIR / "jupyter" / "grader"), str(Path(sys.prefix) / "etc" / "jupyter")]),
        "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter"),
        "PYTHONPATH": str(HUB_DIR),
        "LD_LIBRARY_PATH": user_lib_path(),
        "PATH": f"{Path(user_python()).parent}:{Path(sys.executable).parent}:{env.get('PATH', '/usr/bin:/bin')}",
    })
    return env


def run_as_grader(layout: Layout, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """`python ARGS` in the course directory as the formgrader service's account
    (e.g. `-m nbgrader collect <a>` or `-m autograder grade <a>`)."""
    cmd = [user_python(), *args]
    if as_root():
        cmd = ["runuser", "-u", GRADER_UNIX, "--", *cmd]
    return subprocess.run(cmd, cwd=layout.course, env=grader_env(layout), capture_output=True, text=True,
                          timeout=timeout)


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
        "COURSE_HUB_GRADER_UNIX": GRADER_UNIX,
        "CONFIGPROXY_AUTH_TOKEN": secrets.token_hex(24),
        "PATH": f"{Path(sys.executable).parent}:{env.get('PATH', '/usr/bin:/bin')}",
    })
    if admin_token:
        env["COURSE_HUB_ADMIN_TOKEN"] = admin_token
    return env


def hub_command() -> list[str]:
    return [sys.executable, "-m", "jupyterhub", "-f", str(HUB_DIR / "jupyterhub_config.py")]


class Hub:
    """A running hub (for the tests and the load check): start() waits until the hub answers
    and the formgrader service is up; stop() ends the hub's whole process group."""

    def __init__(self, layout: Layout, log: Path, admin_token: str):
        self.layout = layout
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.admin_token = admin_token
        self.log_path = log
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 120) -> "Hub":
        try:
            return self._start(timeout)
        except BaseException:
            self.stop()
            raise

    def _start(self, timeout: float) -> "Hub":
        env = hub_env(self.layout, self.port, admin_token=self.admin_token)
        self.log_file = self.log_path.open("ab")
        self.proc = subprocess.Popen(hub_command(), cwd=self.layout.private, env=env,
                                     stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True)
        import requests
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the hub exited with {self.proc.returncode}; see {self.log_path}")
            try:
                r = requests.get(f"{self.url}/hub/api/services/{COURSE_ID}",
                                 headers={"Authorization": f"token {self.admin_token}"}, timeout=5)
                if r.ok:
                    # the service answers through the proxy once it is up (302 to login)
                    s = requests.get(f"{self.url}/services/{COURSE_ID}/api/status", timeout=5,
                                     allow_redirects=False)
                    if s.status_code in (200, 302, 403):
                        return self
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the hub did not come up in {timeout:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # the hub stops servers, service and proxy (usually)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        # whatever is left of its session (proxy, servers, kernels)
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        self.log_file.close()
        self.proc = None
        sweep(self.layout)


def sweep(layout: Layout, grace: float = 5.0) -> list[int]:
    """End every process left by the hub with this state directory: the proxy, the service,
    users' servers and their kernels run in sessions of their own; each one carries the state
    directory in its environment (COURSE_HUB_STATE), which is how they are found. Scans again
    until none is left (a dying hub may restart its proxy). Returns those that survived."""
    tag = f"COURSE_HUB_STATE={layout.state}".encode()

    def tagged() -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                if tag in (entry / "environ").read_bytes().split(b"\0") and not _zombie(int(entry.name)):
                    found.append(int(entry.name))
            except OSError:
                continue
        return found

    alive: list[int] = []
    for round_ in range(5):
        found = tagged()
        if not found:
            return []
        for pid in found:
            try:
                os.kill(pid, signal.SIGTERM if round_ == 0 else signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        alive = found
        while alive and time.monotonic() < deadline:
            alive = [p for p in alive if Path(f"/proc/{p}").exists() and not _zombie(p)]
            time.sleep(0.1)
    return tagged()


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def _print_accounts(layout: Layout, url: str) -> None:
    accounts = json.loads(layout.accounts.read_text())
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
    layout = Layout(args.state.resolve())
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
