"""The grading process alone: how many submissions a second one coordinator (and several at once
on one gradebook) sanitises, judges and records when no notebook has to run.

    python benchmarks/coordinator.py [--n 40] [--copies 10] [--coordinators 1 3] [--postgres]
                                     [--capture build/coordinator-capture]

A corpus of N submissions (the mix of benchmarks/grading_speed.py) is graded once for real with
Options.keep_results; that capture is kept (--capture) and reused by later runs. Each kept
submission is then copied under --copies new student names, and the whole class is graded
again with Options.replay: every notebook's child output is handed back from the capture
(runner/replayed.py), so all the time left is the grading process's own (sanitising, judging,
nbgrader's autograde pipeline, the gradebook). Printed: submissions recorded per second and the
grading process's CPU per submission (one coordinator), and the rate of several coordinator
processes grading disjoint halves of the class into the same gradebook at once, on SQLite and
(--postgres) PostgreSQL; every run checks that each copy got exactly its original's per-cell
scores and that the gradebook holds each submission once.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from grading_speed import build_corpus  # noqa: E402

from autograder import course, nbgrader_run  # noqa: E402
from autograder.batch.grade import Options, grade_assignments  # noqa: E402


def capture(root: Path, folder: Path, assignments: list[str], n: int, workers: int) -> None:
    """A graded course with every notebook's run kept, made once."""
    if (folder / "done").is_file():
        return
    shutil.rmtree(folder, ignore_errors=True)
    base = nbgrader_run.make_workspace(root, folder / "course", assignments)
    build_corpus(root, base, assignments, n)
    start = time.perf_counter()
    grade_assignments(base, assignments, options=Options(workers=workers, keep_results=folder / "kept"))
    print(f"captured {n} submissions in {time.perf_counter() - start:.1f} s (live run, {workers} workers)")
    (folder / "done").write_text("")


def class_of(capture_dir: Path, dest: Path, copies: int) -> tuple[Path, Path, dict[str, str]]:
    """A fresh course holding `copies` copies of every captured submission (never graded), the
    kept runs under the copies' names, and {copy: original}."""
    root = dest / "course"
    src = capture_dir / "course"
    root.mkdir(parents=True)
    for part in ("nbgrader_config.py", "source", "release", "grading", "gradebook.db"):
        (shutil.copytree if (src / part).is_dir() else shutil.copy2)(src / part, root / part)
    kept = dest / "kept"
    original_of = {}
    for folder in sorted((src / "submitted").glob("*/*")):
        student, assignment = folder.parent.name, folder.name
        for k in range(copies):
            name = f"{student}-c{k:03d}"
            original_of[name] = student
            shutil.copytree(folder, root / "submitted" / name / assignment)
            shutil.copytree(capture_dir / "kept" / assignment / student, kept / assignment / name)
    for solution in (capture_dir / "kept").glob("*/reference-solution"):
        shutil.copytree(solution, kept / solution.parent.name / solution.name)
    with __import__("nbgrader.api", fromlist=["Gradebook"]).Gradebook(course.gradebook_url(root)) as gb:
        for student in list(gb.students):  # the capture's own students: only the copies are graded
            gb.remove_student(student.id)
    return root, kept, original_of


def _grade_part(root: str, assignments: list[str], students: list[str], kept: str, out) -> None:
    start, cpu = time.perf_counter(), time.process_time()
    records = grade_assignments(Path(root), assignments, students, Options(replay=Path(kept), force=True))
    out.put((time.perf_counter() - start, time.process_time() - cpu, len(records),
             sum(r.status == "graded" for r in records)))


def run_coordinators(root: Path, assignments: list[str], kept: Path, students: list[str], count: int):
    """`count` grading processes at once, each on its share of the students; (wall s, CPU s,
    submissions graded). (A student list given to a batch of several assignments is a list of
    submissions expected of each: the ones a student did not submit are cheap "rejected" records.)"""
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    parts = [students[i::count] for i in range(count)]
    procs = [ctx.Process(target=_grade_part, args=(str(root), assignments, part, str(kept), out)) for part in parts]
    start = time.perf_counter()
    for proc in procs:
        proc.start()
    results = [out.get() for _ in procs]
    for proc in procs:
        proc.join()
    wall = time.perf_counter() - start
    return wall, sum(r[1] for r in results), sum(r[3] for r in results)


def verify(capture_dir: Path, root: Path, assignments: list[str], original_of: dict[str, str]) -> list[str]:
    """Every copy scored as its original, each once in the gradebook."""
    problems = []
    for assignment in assignments:
        originals = nbgrader_run.cell_scores(capture_dir / "course", assignment)
        copies = nbgrader_run.cell_scores(root, assignment)
        expected = {name: originals[orig] for name, orig in original_of.items() if orig in originals
                    and (root / "submitted" / name / assignment).is_dir()}
        for name, scores in expected.items():
            if copies.get(name) != scores:
                problems.append(f"{name}/{assignment}: {copies.get(name)} != {scores}")
        extra = set(copies) - set(expected)
        if extra:
            problems.append(f"{assignment}: unexpected submissions {sorted(extra)[:5]}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--coordinators", type=int, nargs="*", default=[1, 3])
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--course", default=str(REPO))
    parser.add_argument("--capture", default=str(REPO / "build" / "coordinator-capture"))
    parser.add_argument("--assignments", nargs="*")
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL (Debian's, started here)")
    args = parser.parse_args()
    root = Path(args.course).resolve()
    assignments = args.assignments or [a for a in course.assignments(root)
                                       if course.reference_path(root, a).is_file()]
    capture_dir = Path(args.capture).resolve()
    capture(root, capture_dir, assignments, args.n, args.workers)

    backends = [("SQLite", None)]
    stack = []
    if args.postgres:
        sys.path.insert(0, str(REPO / "tests"))
        from postgres_server import PostgresServer  # noqa: E402
        server = PostgresServer()
        server.start()
        stack.append(server)
        backends.append(("PostgreSQL", server))

    rows, problems = [], []
    try:
        for label, server in backends:
            for count in args.coordinators:
                with tempfile.TemporaryDirectory(prefix="coordinator-bench-") as tmp:
                    class_root, kept, original_of = class_of(capture_dir, Path(tmp), args.copies)
                    if server is not None:
                        server.use_for(class_root)
                    students = sorted(original_of)
                    wall, cpu, n = run_coordinators(class_root, assignments, kept, students, count)
                    rows.append((label, count, n, wall, cpu))
                    problems += [f"{label} x{count}: {p}" for p in verify(capture_dir, class_root, assignments,
                                                                            original_of)]
    finally:
        for server in stack:
            server.stop()

    print(f"corpus: {args.n} captured submissions x {args.copies} copies over {len(assignments)} assignments; "
          f"machine: {os.cpu_count()} cores")
    print(f"{'gradebook':<12}{'coordinators':>13}{'records':>9}{'wall s':>9}{'records/s':>11}{'CPU s/record':>14}")
    for label, count, n, wall, cpu in rows:
        print(f"{label:<12}{count:>13}{n:>9}{wall:>9.1f}{n / wall:>11.1f}{cpu / max(n, 1):>14.3f}")
    print(f"every copy scored as its original, once: {'yes' if not problems else 'NO'}")
    for line in problems[:20]:
        print("  " + line)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
