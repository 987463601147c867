"""Load check of the course hub: N students fetch and submit at once through the REST APIs.

    python benchmarks/hub_load.py [--n 30] [--json out.json]

A real hub (JupyterHub, configurable-http-proxy, the formgrader service) on free loopback
ports, tf_function_pitfalls released with `nbgrader release_assignment`. Then, for every
student at once (one thread each): start the server (hub REST API, a service token), list the
assignments and fetch (nbgrader's assignment-list endpoints of the user's own server), write
an answer into the notebook (Jupyter contents API; the notebook is marked with its author),
submit. Then `nbgrader collect` (with the hub's owner check) and the checks: every student has
exactly one inbound submission and exactly one collected notebook, carrying their own mark.
When run as root, one student also forges a submission in another's name (`nbgrader submit
--student`, nbgrader #1097) and the collect must refuse it.
"""
from __future__ import annotations

import argparse
import json
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import nbformat
import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "hub"))
import hub_harness  # noqa: E402  (the test harness; puts hub/ on sys.path)
from hub_accounts import remove_unix_users  # noqa: E402
from hub_env import grader_env, run_as_grader  # noqa: E402
from hub_layout import COURSE_ID, HUB_DIR, Layout, as_root, prepare  # noqa: E402
from hub_python import user_python  # noqa: E402

ASSIGNMENT = "tf_function_pitfalls"
NOTEBOOK = f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
ANSWER_CELL = "range_solution"


class Student:
    def __init__(self, hub, name: str, mark: str, assignment: str = ASSIGNMENT, cell: str = ANSWER_CELL):
        self.hub, self.name, self.mark = hub, name, mark
        self.assignment, self.cell = assignment, cell
        self.notebook = f"{assignment}/{assignment}.ipynb"
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"token {hub.admin_token}"
        self.times: dict[str, float] = {}

    def api(self, method: str, path: str, **kw):
        r = self.http.request(method, f"{self.hub.url}{path}", timeout=300, **kw)
        r.raise_for_status()
        return r

    def start_server(self, timeout: float = 600) -> None:
        t = time.monotonic()
        self.api("POST", f"/hub/api/users/{self.name}/server")
        while time.monotonic() - t < timeout:
            server = self.api("GET", f"/hub/api/users/{self.name}").json().get("servers", {}).get("")
            if server and server.get("ready"):
                self.times["spawn"] = time.monotonic() - t
                return
            time.sleep(0.5)
        raise TimeoutError(f"{self.name}: server not ready after {timeout:.0f} s")

    def fetch_fill_submit(self, answer: str) -> None:
        t = time.monotonic()
        self.fetch()
        self.fill_submit(answer)
        self.times["fetch_submit"] = time.monotonic() - t

    def fetch(self) -> None:
        base = f"/user/{self.name}"
        listing = self.api("GET", f"{base}/assignments", params={"course_id": COURSE_ID}).json()
        assert any(a["assignment_id"] == self.assignment for a in listing["value"]), listing
        body = {"course_id": COURSE_ID, "assignment_id": self.assignment}
        self.api("POST", f"{base}/assignments/fetch", json=body)

    def fill_submit(self, answer: str) -> None:
        """Write `answer` (marked with its author) into the answer cell and submit."""
        base = f"/user/{self.name}"
        model = self.api("GET", f"{base}/api/contents/{self.notebook}", params={"content": 1}).json()
        nb = nbformat.from_dict(model["content"])
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == self.cell:
                cell.source = f"# {self.mark}\n{answer}"
        self.api("PUT", f"{base}/api/contents/{self.notebook}", json={"type": "notebook", "content": nb})
        body = {"course_id": COURSE_ID, "assignment_id": self.assignment}
        result = self.api("POST", f"{base}/assignments/submit", json=body).json()
        if isinstance(result, dict) and not result.get("success", True):
            raise RuntimeError(f"{self.name}: submit failed: {result.get('value', '')[-2000:]}")


def answer_source(course_root: Path) -> str:
    from autograder.submissions import solution_answers
    return solution_answers(course_root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")[ANSWER_CELL]


def forge(hub, forger: str, victim: str) -> subprocess.CompletedProcess:
    """nbgrader #1097: `forger` submits the notebook in their home under `victim`'s name."""
    home = hub.layout.homes / forger
    env = grader_env(hub.layout)
    env.update(HOME=str(home), JUPYTER_CONFIG_PATH=str(HUB_DIR / "jupyter" / "student"),
               JUPYTERHUB_USER=forger)
    cmd = ["runuser", "-u", forger, "--", user_python(), "-m", "nbgrader", "submit", ASSIGNMENT,
           "--student", victim]
    return subprocess.run(cmd, cwd=home, env=env, capture_output=True, text=True, timeout=300)


@contextmanager
def running_hub(course_root: Path, students: list[str], prefix: str, log: Path | None = None,
                feedback: bool = False, require_references: bool = True, assignment: str = ASSIGNMENT):
    """A hub on loopback for `students` with `assignment` released (`feedback`: with the grading
    service); at the end the hub stopped, its processes, unix accounts and state removed."""
    state = Path(tempfile.mkdtemp(prefix=f"course-hub-{prefix}")).resolve()
    layout = Layout(state, grader=f"{prefix}grader")
    hub = None
    try:
        prepare(layout, course_root, [assignment], {s: "student" for s in students},
                require_references=require_references)
        hub = hub_harness.Hub(layout, log or state.parent / f"{state.name}.log", admin_token=secrets.token_hex(24),
                              feedback=feedback).start(timeout=300)
        released = run_as_grader(layout, "-m", "nbgrader", "release_assignment", assignment)
        assert released.returncode == 0, released.stderr[-2000:]
        yield hub
    finally:
        if hub is not None:
            hub.stop()
        hub_harness.sweep(layout)
        if as_root():
            remove_unix_users(layout)
        shutil.rmtree(state, ignore_errors=True)


def run_load(course_root: Path, n: int, prefix: str = "load-", log: Path | None = None,
             say=print) -> dict:
    """Start a hub, run the load, stop the hub; returns the figures (raises if a check fails)."""
    students = [f"{prefix}s{i:03d}" for i in range(1, n + 1)]
    figures: dict = {"n": n}
    t0 = time.monotonic()
    # nothing is graded here: the reference outputs are not needed
    with running_hub(course_root, students, prefix, log, require_references=False) as hub:
        layout = hub.layout
        figures["hub_start_s"] = round(time.monotonic() - t0, 1)
        say(f"hub up and {ASSIGNMENT} released in {figures['hub_start_s']} s; {n} students start")

        answer = answer_source(course_root)
        marks = {s: f"submitted by {s} {secrets.token_hex(4)}" for s in students}
        people = [Student(hub, s, marks[s]) for s in students]
        errors: list[str] = []
        lock = threading.Lock()

        def one(student: Student) -> None:
            try:
                student.start_server()
                student.fetch_fill_submit(answer)
            except Exception as exc:  # noqa: BLE001 - reported, the check fails below
                with lock:
                    errors.append(f"{student.name}: {exc!r}"[:2000])

        t1 = time.monotonic()
        with ThreadPoolExecutor(max_workers=n) as pool:
            list(pool.map(one, people))
        figures["spawn_fetch_submit_s"] = round(time.monotonic() - t1, 1)
        spawn = sorted(p.times.get("spawn", float("nan")) for p in people)
        work = sorted(p.times.get("fetch_submit", float("nan")) for p in people)
        figures["spawn_s_median_max"] = [round(spawn[len(spawn) // 2], 1), round(spawn[-1], 1)]
        figures["fetch_submit_s_median_max"] = [round(work[len(work) // 2], 1), round(work[-1], 1)]
        assert not errors, "\n".join(errors)

        forged = None
        if as_root() and n >= 2:
            forged = forge(hub, students[1], students[0])
            assert forged.returncode == 0, forged.stdout[-2000:] + forged.stderr[-2000:]

        inbound = list((layout.exchange / COURSE_ID / "inbound").iterdir())
        figures["inbound"] = len(inbound)
        t2 = time.monotonic()
        collected = run_as_grader(layout, "-m", "nbgrader", "collect", ASSIGNMENT)
        figures["collect_s"] = round(time.monotonic() - t2, 1)
        assert collected.returncode == 0, collected.stderr[-3000:]
        submitted = layout.course / "submitted"
        got = sorted(p.name for p in submitted.iterdir()) if submitted.is_dir() else []
        figures["collected"] = len(got)
        figures["refused_forgeries"] = collected.stderr.count("REFUSED")
        # every submission collected exactly once, each the student's own
        per_student = {s: sum(1 for p in inbound if p.name.startswith(f"{s}+")) for s in students}
        assert got == students, f"collected {len(got)} of {n}: missing {sorted(set(students) - set(got))}"
        wrong = []
        for s in students:
            nbs = list((submitted / s / ASSIGNMENT).glob("*.ipynb"))
            if len(nbs) != 1 or marks[s] not in nbs[0].read_text():
                wrong.append(s)
        assert not wrong, f"collected notebooks not their authors' own: {wrong}"
        if forged is not None:
            assert per_student[students[0]] == 2 and figures["refused_forgeries"] == 1, (per_student, collected.stderr[-2000:])
            figures["forgery"] = f"{students[1]} submitted as {students[0]}: refused at collect"
        else:
            assert all(v == 1 for v in per_student.values()), per_student
        figures["total_s"] = round(time.monotonic() - t0, 1)
        return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=30, help="simulated students (default 30)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    log = REPO / "build" / "test-artifacts" / "hub-load.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.unlink(missing_ok=True)
    figures = run_load(REPO, args.n, log=log)
    print(f"\n{args.n} students, concurrently: start server, fetch, write an answer, submit")
    for key, value in figures.items():
        print(f"  {key:28s} {value}")
    print(f"  hub log: {log}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
