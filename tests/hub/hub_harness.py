"""A course hub run for the tests and the load benchmark: `Hub` starts JupyterHub on free
loopback ports and waits for the formgrader service; `sweep` ends whatever a hub with a given
state directory left running. Not needed to serve a course (`hub/course_hub.py serve`)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

HUB_DIR = Path(__file__).resolve().parents[2] / "hub"
if str(HUB_DIR) not in sys.path:
    sys.path.insert(0, str(HUB_DIR))

from hub_env import free_port, hub_command, hub_env  # noqa: E402
from hub_layout import COURSE_ID, Layout  # noqa: E402


class Hub:
    """A running hub: start() waits until the hub answers and the formgrader service is up;
    stop() ends the hub's whole process group and sweeps what is left."""

    def __init__(self, layout: Layout, log: Path, admin_token: str, feedback: bool = False):
        self.layout = layout
        self.feedback = feedback  # run the grading service (autograder.hub_feedback)
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
        env["COURSE_HUB_FEEDBACK"] = "1" if self.feedback else "0"
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


def tagged_processes(layout: Layout) -> list[int]:
    """Live processes that carry this hub's state directory in their environment
    (COURSE_HUB_STATE: the proxy, the services, users' servers and their kernels)."""
    tag = f"COURSE_HUB_STATE={layout.state}".encode()
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


def sweep(layout: Layout, grace: float = 5.0) -> list[int]:
    """End every process left by the hub with this state directory: they run in sessions of
    their own and are found by their environment (tagged_processes). Scans again until none
    is left (a dying hub may restart its proxy). Returns those that survived."""
    alive: list[int] = []
    for round_ in range(5):
        found = tagged_processes(layout)
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
    return tagged_processes(layout)


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True
