"""Grading throughput: `nbgrader autograde` against `python -m autograder grade`, same corpus,
same run, same machine.

    python benchmarks/grading_speed.py [--n 40] [--rounds K] [--workers N] [--assignments A ...] [--dask]

Builds a throwaway course with N submissions spread over the assignments (about 40 %
solutions, 30 % known-wrong variants, 15 % blank releases, 15 % notebooks that raise in
their first answer cell), grades one copy with nbgrader and another with the batch grader,
and prints seconds per submission, the grading process's own CPU per submission (its threads,
not its children), the speed-up, the peak memory of each and whether every per-cell score
agrees. Peak memory comes from a second run of each grader on a fresh copy
(`--no-memory` skips it): sums over the grading process tree, sampled every 0.1 s, of resident
memory (RSS) and proportional set size (PSS, which counts a page the forked children share
with the zygote once). The timed runs have no sampler beside them: reading every process's
smaps_rollup ten times a second took about 7 s of a 31 s batch from its two busy workers,
and next to nothing from nbgrader's one kernel at a time. The batch grader grades all the
assignments in one batch (one TensorFlow import; `python -m autograder grade A B ...`), nbgrader one `autograde` per
assignment, as each is used. With --dask, a third copy is graded through a Dask cluster on this
machine (a scheduler and N worker processes on loopback, one notebook at a time each), which
gives the overhead of the distributed path per submission and a paper estimate for a large
class. With --rounds K the timed runs are repeated K times, the graders one after the other in
each round (in turn first), each on a fresh copy: this machine's speed drifts by about 10 % over
minutes, and a ratio of two runs taken side by side moves less than one of two medians taken
apart. It prints each round's figures and their medians. Needs the reference outputs
(`python -m autograder generate`).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from autograder import course, nbgrader_run  # noqa: E402
from autograder.batch.grade import Options, grade_assignments  # noqa: E402
from autograder.prove import variants_dir  # noqa: E402
from autograder.submissions import filled_release, read_variants  # noqa: E402


class PeakMemory:
    """Peaks of the summed memory of this process and all its descendants: RSS (resident pages,
    a page shared by forked children counted once per process) and PSS (proportional set size:
    each shared page split between the processes that share it, so the sum counts it once)."""

    def __init__(self):
        self.peak = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        me = psutil.Process()
        while not self._stop.is_set():
            rss = pss = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    info = proc.memory_full_info()  # reads /proc/<pid>/smaps_rollup
                    rss, pss = rss + info.rss, pss + info.pss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self._stop.wait(0.1)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def build_corpus(root: Path, ws: Path, assignments: list[str], n: int) -> dict[str, str]:
    """Submit n notebooks into workspace `ws`; returns {student/assignment: kind}."""
    kinds = {}
    for i in range(n):
        assignment = assignments[i % len(assignments)]
        (source_nb,) = course.source_notebooks(ws, assignment)
        release_nb = ws / "release" / assignment / source_nb.name
        variants = read_variants(variants_dir(root, assignment))
        slot = i % 20
        if slot < 8:
            kind, nb = "solution", filled_release(release_nb, source_nb)
        elif slot < 14 and variants:
            variant = variants[i % len(variants)]
            kind, nb = f"wrong:{variant.name}", filled_release(release_nb, source_nb, variant.cells)
        elif slot < 17:
            import nbformat
            kind, nb = "blank", nbformat.read(release_nb, as_version=4)
        else:
            nb = filled_release(release_nb, source_nb)
            first = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")
                         and c.cell_type == "code")
            first.source = "raise RuntimeError('half-finished submission')\n" + first.source
            kind = "failing"
        student = f"s{i:03d}"
        nbgrader_run.submit(ws, assignment, student, nb)
        kinds[f"{student}/{assignment}"] = kind
    return kinds


def grade_on_local_dask(copy: Path, assignments: list[str], workers: int):
    """A scheduler and `workers` single-threaded worker processes on loopback; the time includes
    each worker's zygote start, as a real batch's does."""
    from distributed import LocalCluster
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, memory_limit=0) as cluster:
        return grade_assignments(copy, assignments, options=Options(scheduler=cluster.scheduler_address))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--course", default=str(REPO))
    parser.add_argument("--assignments", nargs="*")
    parser.add_argument("--rounds", type=int, default=1,
                        help="repeat the timed runs, the graders side by side in each round")
    parser.add_argument("--dask", action="store_true", help="also grade through a local Dask cluster")
    parser.add_argument("--no-memory", dest="memory", action="store_false",
                        help="skip the second run of each grader that samples peak memory")
    args = parser.parse_args()
    root = Path(args.course).resolve()
    assignments = args.assignments or [a for a in course.assignments(root)
                                       if course.reference_path(root, a).is_file()]
    if not assignments:
        sys.exit("no assignment has reference outputs: run `python -m autograder generate` first")
    with tempfile.TemporaryDirectory(prefix="grading-bench-") as tmp:
        base = nbgrader_run.make_workspace(root, Path(tmp) / "base", assignments)
        kinds = build_corpus(root, base, assignments, args.n)
        runs = {"nbgrader": lambda copy: [nbgrader_run.autograde(copy, a) for a in assignments],
                "batch": lambda copy: grade_assignments(copy, assignments, options=Options(workers=args.workers))}
        if args.dask:
            runs["dask"] = lambda copy: grade_on_local_dask(copy, assignments, args.workers)
        # Each grader runs on its own copy: timed with nothing else running (in each round), and once
        # under the memory sampler (reading every process's smaps_rollup ten times a second costs CPU
        # that two busy workers would pay in their own wall time, and one nbgrader would not).
        copies = {}
        memory, results = {}, {}
        rounds = []  # per round: {grader: (seconds, own CPU seconds)}
        for number in range(args.rounds):
            timed = {}
            names = list(runs) if number % 2 == 0 else list(reversed(runs))
            for name in names:
                copies[name if number == 0 else f"{name} (round {number + 1})"] = copy = Path(tmp) / f"{name}-{number}"
                shutil.copytree(base, copy, symlinks=True)
                start, own = time.perf_counter(), time.process_time()  # all threads, no children
                result = runs[name](copy)
                timed[name] = (time.perf_counter() - start, time.process_time() - own)
                results.setdefault(name, result)
            rounds.append(timed)
        ratios = [timed["nbgrader"][0] / timed["batch"][0] for timed in rounds]
        seconds = {name: statistics.median(r[name][0] for r in rounds) for name in runs}
        cpu = {name: statistics.median(r[name][1] for r in rounds) for name in runs}
        for name, run in runs.items():
            if args.memory:
                copies[f"{name} (memory run)"] = Path(tmp) / f"{name}-memory"
                shutil.copytree(base, copies[f"{name} (memory run)"], symlinks=True)
                with PeakMemory() as memory[name]:
                    start = time.perf_counter()
                    run(copies[f"{name} (memory run)"])
                    memory[name].seconds = time.perf_counter() - start
        records = results["batch"]
        batch_seconds, dask_seconds = seconds["batch"], seconds.get("dask")
        gradebook_seconds = sum(r.gradebook_seconds for r in records) / max(len(records), 1)

        disagreements = []
        for assignment in assignments:
            a = nbgrader_run.cell_scores(copies["nbgrader"], assignment)
            for other in [name for name in copies if name != "nbgrader"]:
                b = nbgrader_run.cell_scores(copies[other], assignment)
                # every other copy against nbgrader's first: each round's and the memory runs' too
                for student in sorted(set(a) | set(b)):
                    if a.get(student) != b.get(student):
                        disagreements.append(f"{student}/{assignment} ({kinds.get(f'{student}/{assignment}')}): "
                                             f"nbgrader {a.get(student)} {other} {b.get(student)}")

    n = args.n
    print(f"corpus: {n} submissions over {', '.join(assignments)}; machine: {os.cpu_count()} cores")
    if args.rounds > 1:
        print(f"{'round':<7}" + "".join(f"{name + ' s':>14}" for name in runs) + f"{'speed-up':>10}"
              + (f"{'Dask speed-up':>15}" if "dask" in runs else ""))
        for number, (timed, ratio) in enumerate(zip(rounds, ratios), 1):
            print(f"{number:<7}" + "".join(f"{timed[name][0]:>14.1f}" for name in runs) + f"{ratio:>9.1f}x"
                  + (f"{timed['nbgrader'][0] / timed['dask'][0]:>14.1f}x" if "dask" in runs else ""))
        print("(the table below: each grader's median time and own CPU over the rounds)")
    print(f"{'grader':<34}{'total s':>10}{'s/submission':>14}{'own CPU s/sub':>15}{'peak RSS MB':>13}{'peak PSS MB':>13}")
    labels = {"nbgrader": "nbgrader autograde", "batch": f"autograder grade ({args.workers} workers)",
              "dask": f"autograder grade, Dask ({args.workers} workers)"}
    for name, label in labels.items():
        if name in seconds:
            peaks = (f"{memory[name].peak / 2**20:>13.0f}{memory[name].peak_pss / 2**20:>13.0f}" if name in memory
                     else f"{'-':>13}{'-':>13}")
            own = f"{'-':>15}" if name == "nbgrader" else f"{cpu[name] / n:>15.3f}"  # its work is in `nbgrader` subprocesses
            print(f"{label:<34}{seconds[name]:>10.1f}{seconds[name] / n:>14.2f}{own}{peaks}")
    print("(own CPU: the grading process's own user and system time, its threads included and its children "
          "(kernels, the zygote, Dask workers) not" + ("; with --dask, LocalCluster's scheduler runs in this process "
                                                       "and is included" if "dask" in cpu else "") + ")")
    print("(times from runs with nothing else running" + (
        "; peak memory from a second run of each under the sampler, which took "
        + ", ".join(f"{memory[name].seconds:.1f} s" for name in memory) if memory else "") + ")")
    if memory:
        print(f"peak PSS against nbgrader's: {memory['batch'].peak_pss / max(memory['nbgrader'].peak_pss, 1):.2f}x "
              f"(RSS counts the pages the forked children share with the zygote once per child; PSS once)")
    run_seconds = sum(r.run_seconds for r in records)
    print(f"speed-up: {statistics.median(ratios):.1f}x"
          + (" (the median of the rounds' ratios)" if args.rounds > 1 else ""))
    print(f"where the batch grader's time goes: the notebooks ran {run_seconds:.1f} s in total in their children "
          f"({run_seconds / n:.2f} s each, {args.workers} at a time); recording (the rest of nbgrader's autograde "
          f"pipeline, the autograded folder, one gradebook transaction) took {gradebook_seconds:.3f} s per submission "
          f"in the grading process (benchmarks/coordinator.py measures the grading process alone)")
    if dask_seconds is not None:
        print(f"Dask overhead vs the local pool: {(dask_seconds - batch_seconds) / n:+.2f} s/submission of wall "
              f"time; {(cpu['dask'] - cpu['batch']) / n:+.3f} s/submission of the grading process's own CPU "
              f"(packing each job, unpacking its results, the client, and the scheduler that runs in this process)")
        core_seconds = batch_seconds * args.workers / n  # one submission's cost on one core
        notebooks = 1000 * len(assignments)
        print(f"paper estimate for 1,000 students x {len(assignments)} assignments ({notebooks:,} notebooks of this "
              "mix): " + ", ".join(f"{w} worker cores ~{notebooks * core_seconds / w / 60:.1f} min"
                                   for w in (8, 32, 128))
              + f" of notebook time; the coordinator records one submission at a time "
              f"({gradebook_seconds:.3f} s each measured here: ~{notebooks * gradebook_seconds / 60:.1f} min in all)")
    print(f"per-cell scores identical: {'yes' if not disagreements else 'NO'}")
    for line in disagreements:
        print("  " + line)
    sys.exit(1 if disagreements else 0)


if __name__ == "__main__":
    main()
