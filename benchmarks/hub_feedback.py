"""Feedback seconds after submit (issue 16): time from a student's Submit to their feedback
being fetchable, with the hub's grading service, against today's staff cycle.

    python benchmarks/hub_feedback.py [--n 30] [--single 5] [--window 60] [--json out.json]

A real hub on loopback (JupyterHub, its proxy, formgrader, users' servers; as root one unix
account each), custom_components released with nbgrader. Students use the REST endpoints of
their own servers, as their Assignment List does (fetch, write an answer, submit); half of the
answers are the solution's LayerNorm, half a wrong one. "Fetchable" is the moment the feedback
page of that very submission is in the exchange (the file `Fetch Feedback` copies), polled
every 0.2 s.

  1. with the service: `--single` students one after another, each alone (1 student);
     then all `--n` students, each submitting at a random moment within `--window` seconds;
  2. today's staff cycle, on a second hub without the service: the same students submit the
     same way; when the last one has submitted, staff run `nbgrader collect`, `nbgrader
     autograde`, `generate_feedback` and `release_feedback` (as the grader's unix account, in
     the course directory, as the formgrader would). In a real course staff start hours or
     days later; this is the best case of that cycle.
p50 and p95 of each. Needs grading/custom_components/reference.npz (`python -m autograder
generate custom_components`)."""
from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "tests" / "hub"))
import hub_load  # noqa: E402  (imports the hub test harness, which puts hub/ on sys.path)
from hub_env import run_as_grader  # noqa: E402
from hub_layout import COURSE_ID  # noqa: E402
from nbgrader.utils import notebook_hash  # noqa: E402

ASSIGNMENT = "custom_components"
CELL = "layernorm_solution"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 1)


def summary(values: list[float]) -> dict:
    return {"n": len(values), "p50_s": percentile(values, 0.5), "p95_s": percentile(values, 0.95),
            "max_s": round(max(values), 1), "mean_s": round(statistics.mean(values), 1)}


def answers() -> tuple[str, str]:
    from autograder.submissions import WrongVariant, solution_answers
    right = solution_answers(REPO / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")[CELL]
    wrong = WrongVariant.read(REPO / "tests" / "wrong_variants" / ASSIGNMENT / "layernorm_divides_by_variance.py")
    return right, wrong.cells[CELL]


class Watch:
    """Submit times and the moment each submission's feedback page is in the exchange."""

    def __init__(self, hub):
        self.inbound = hub.layout.exchange / COURSE_ID / "inbound"
        self.feedback = hub.layout.exchange / COURSE_ID / "feedback"
        self.submitted: dict[str, float] = {}  # inbound folder -> when its submit returned
        self.fetchable: dict[str, float] = {}
        self.lock = threading.Lock()

    def submit(self, student, answer: str) -> str:
        before = {p.name for p in self.inbound.glob(f"{student.name}+*")}
        student.fill_submit(answer)
        now = time.monotonic()
        (name,) = {p.name for p in self.inbound.glob(f"{student.name}+*")} - before
        with self.lock:
            self.submitted[name] = now
        return name

    def poll(self, names: list[str], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            with self.lock:
                waiting = [n for n in names if n not in self.fetchable]
            for name in waiting:
                secret = (self.inbound / name / "submission_secret.txt").read_text()
                page = self.feedback / f"{notebook_hash(secret=secret, notebook_id=ASSIGNMENT)}.html"
                if page.is_file():
                    self.fetchable[name] = time.monotonic()
            if not waiting:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(waiting)} submissions without feedback after {timeout:.0f} s")
            time.sleep(0.2)

    def latencies(self, names: list[str]) -> list[float]:
        return [self.fetchable[n] - self.submitted[n] for n in names]


def class_submits(watch: Watch, people, window: float, right: str, wrong: str, seed: int) -> list[str]:
    """Every student submits once, at a random moment within `window` seconds."""
    rng = random.Random(seed)
    offsets = sorted(rng.uniform(0, window) for _ in people)
    start = time.monotonic()
    names: list[str] = []

    def one(item):
        i, (person, offset) = item
        time.sleep(max(0.0, start + offset - time.monotonic()))
        names.append(watch.submit(person, right if i % 2 == 0 else wrong))

    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        list(pool.map(one, enumerate(zip(people, offsets))))
    return names


def start_all(hub, students: list[str]):
    people = [hub_load.Student(hub, s, f"by {s}", assignment=ASSIGNMENT, cell=CELL) for s in students]

    def ready(person):
        person.start_server()
        person.fetch()

    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        list(pool.map(ready, people))
    return people


def grade_calls(log: Path) -> list[tuple[int, float, float]]:
    """(submissions, seconds, their notebooks' own seconds) of each call of the batch grader."""
    pattern = re.compile(r"graded (\d+) submission\(s\) in ([\d.]+) s \(their notebooks ran ([\d.]+) s")
    return [(int(a), float(b), float(c)) for a, b, c in pattern.findall(log.read_text())]


def run(n: int, single: int, window: float, say=print) -> dict:
    right, wrong = answers()
    artifacts = REPO / "build" / "test-artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    figures: dict = {"n": n, "window_s": window}

    students = [f"hf-s{i:03d}" for i in range(1, n + 1)]
    log = artifacts / "hub-feedback-bench-service.log"
    log.unlink(missing_ok=True)
    with hub_load.running_hub(REPO, students, "hf-", log, feedback=True, assignment=ASSIGNMENT) as hub:
        t = time.monotonic()
        people = start_all(hub, students)
        say(f"service hub: {n} servers started and fetched in {time.monotonic() - t:.0f} s")
        watch = Watch(hub)
        alone = []
        for i, person in enumerate(people[:single]):
            name = watch.submit(person, right if i % 2 == 0 else wrong)
            watch.poll([name], timeout=300)
            alone.append(name)
        figures["service_1_student"] = summary(watch.latencies(alone))
        say(f"1 student at a time: {figures['service_1_student']}")
        names = class_submits(watch, people, window, right, wrong, seed=16)
        watch.poll(names, timeout=1800)
        figures[f"service_{n}_students"] = summary(watch.latencies(names))
        say(f"{n} students within {window:g} s: {figures[f'service_{n}_students']}")
        calls = grade_calls(log)
        figures["service_grade_calls"] = {
            "calls": len(calls), "submissions_per_call": [c[0] for c in calls],
            "seconds_per_call_p50": percentile([c[1] for c in calls], 0.5),
            "overhead_per_call_p50_s": percentile([c[1] - c[2] for c in calls], 0.5)}

    students = [f"hs-s{i:03d}" for i in range(1, n + 1)]
    log = artifacts / "hub-feedback-bench-staff.log"
    log.unlink(missing_ok=True)
    with hub_load.running_hub(REPO, students, "hs-", log, assignment=ASSIGNMENT) as hub:
        people = start_all(hub, students)
        watch = Watch(hub)
        names = class_submits(watch, people, window, right, wrong, seed=16)
        steps = {}
        for step, args in (("collect", ["collect", ASSIGNMENT]), ("autograde", ["autograde", ASSIGNMENT]),
                           ("generate_feedback", ["generate_feedback", ASSIGNMENT]),
                           ("release_feedback", ["release_feedback", ASSIGNMENT])):
            t = time.monotonic()
            done = run_as_grader(hub.layout, "-m", "nbgrader", *args, timeout=3600)
            steps[step] = round(time.monotonic() - t, 1)
            assert done.returncode == 0, f"nbgrader {step}: {done.stderr[-2000:]}"
        watch.poll(names, timeout=60)
        figures[f"staff_cycle_{n}_students"] = summary(watch.latencies(names))
        figures["staff_cycle_steps_s"] = steps
        say(f"staff cycle, {n} students: {figures[f'staff_cycle_{n}_students']}; steps {steps}")
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=30, help="students submitting within the window (default 30)")
    parser.add_argument("--single", type=int, default=5, help="students submitting alone, one after another")
    parser.add_argument("--window", type=float, default=60.0, help="seconds within which the class submits")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    figures = run(args.n, min(args.single, args.n), args.window)
    print("\nSubmit -> feedback fetchable (seconds)")
    for key, value in figures.items():
        print(f"  {key:28s} {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
