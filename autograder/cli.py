"""Command line: `python -m autograder COMMAND`. Thin: each command calls a library function.

`program()` raises; `main()` is the one boundary that turns exceptions into messages and
exit codes (`--debug` shows the traceback as well). Every error of the package carries its
exit status (errors.ExitStatus): 0 success; 1 a check did not hold (proof failed, leak, out
of sync, margins); 2 usage error; 3 the course, a tool or the grading environment failed
(missing files, nbgrader error, the reference solution losing points, a batch that stopped);
4 a batch finished but could not judge some submissions; 130 interrupted.
"""
from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from . import course
from .course import CourseNotFound
from .errors import AutograderError, CheckDidNotHold, ExitStatus, UsageError
from .steps import Steps


def _root(args) -> Path:
    if args.course:
        return Path(args.course).resolve()
    return course.find_course_root()


def _assignments(root: Path, names: list[str]) -> list[str]:
    known = course.assignments(root)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise CourseNotFound(f"unknown assignment(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return names or known


def cmd_generate(args) -> None:
    from .generate import generate_all
    root = _root(args)
    with Steps() as say:
        generate_all(root, _assignments(root, args.assignments), progress=say)


def cmd_references(args) -> None:
    from . import reference_file
    from .references import build_references, check_costs
    root = _root(args)
    for assignment in _assignments(root, args.assignments):
        print(build_references(root, assignment))
        print(f"{assignment}: what each hidden check costs on the solution\n"
              f"{check_costs(reference_file.read(root, assignment))}\n")


def cmd_prove(args) -> None:
    from . import nbgrader_run
    from .margins import format_table
    from .prove import batch_autograde, prove
    root = _root(args)
    failed = []
    with Steps() as say:
        for assignment in _assignments(root, args.assignments):
            proof = prove(root, assignment, progress=say, margins=True,
                          autograde=batch_autograde if args.fast else nbgrader_run.autograde)
            _print_proof(assignment, proof, say)
            print(f"\n{assignment}: margins of the numeric checks\n{format_table(proof.margins)}\n")
            if not proof.ok:
                failed.append(assignment)
    if failed:
        raise CheckDidNotHold(f"grading not proven for: {', '.join(failed)}")


def _print_proof(assignment, proof, say) -> None:
    say(f"{assignment}: solution {sum(proof.scores.get('solution', {}).get(c, 0) for c in proof.auto_ids):g}"
        f" of {sum(proof.max_scores[c] for c in proof.auto_ids):g} automatic points; "
        f"{len(proof.variants)} wrong variants, {len(proof.honest)} honest alternatives")
    for problem in proof.problems:
        say(f"  PROBLEM {problem}")


def cmd_demo(args) -> None:
    from .demo import run_demo
    root = _root(args)
    run_demo(root, Path(args.workdir).resolve(), _assignments(root, args.assignments), fast=args.fast)


def cmd_grade(args) -> None:
    from .batch.grade import Options, SubmissionsNotJudged, grade_assignments
    from .batch.progress import BatchProgress
    root = _root(args)
    if args.all and args.assignments:
        raise UsageError("name assignments or give --all, not both")
    if not args.all and not args.assignments:
        raise UsageError("name the assignments to grade, or --all")
    assignments = _assignments(root, [] if args.all else args.assignments)
    options = Options(force=args.force, memory_mb=args.memory_mb, wall_timeout=args.timeout,
                      cell_timeout=args.cell_timeout, scheduler=args.scheduler)
    if args.workers:
        options.workers = args.workers
    with BatchProgress(assignments) as progress:
        records = grade_assignments(root, assignments, args.student or None, options, progress.update)
    progress.summary(records)
    unjudged = [r for r in records if r.unjudged]
    if unjudged:
        raise SubmissionsNotJudged(
            f"{len(unjudged)} of {len(records)} submissions could not be judged or recorded (their rows above say why); "
            f"{sum(r.status == 'not-run' for r in unjudged)} of them could not start and were not recorded: "
            f"run the same command again to grade those")


def cmd_report(args) -> None:
    from .report import class_report
    root = _root(args)
    if not args.assignments and not args.all:
        raise UsageError("name the assignments to report on, or --all")
    names = None if args.all else _assignments(root, args.assignments)
    print(f"class report: {class_report(root, names, Path(args.output).resolve() if args.output else None)}")


def cmd_similarity(args) -> None:
    from .similarity import DEFAULT_THRESHOLD, similarity_report
    root = _root(args)
    threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    if not 0 < threshold <= 1:
        raise UsageError(f"--threshold must be in (0, 1], not {threshold:g}")
    (assignment,) = _assignments(root, [args.assignment])
    comparison, page, table = similarity_report(root, assignment, threshold)
    compared = len(comparison.submissions) - len(comparison.unreadable)
    print(f"{assignment}: {compared} submissions compared, {len(comparison.unreadable)} could not be read; "
          f"{len(comparison.flagged)} pairs at or above {threshold:g} over the whole notebook, "
          f"{len(comparison.flagged_on_questions)} more on some question")
    print(f"wrote {page}\nwrote {table}")


def cmd_export(args) -> None:
    from .report import export_grades
    root = _root(args)
    for path in export_grades(root, Path(args.output_dir).resolve() if args.output_dir else None):
        print(f"wrote {path}")


def cmd_otter(args) -> None:
    from .gradescope import export_assignment
    root = _root(args)
    with Steps() as say:
        for assignment in _assignments(root, args.assignments):
            say(f"{assignment}: otter assign")
            zip_path = export_assignment(root, assignment)
            say(f"{assignment}: master and student notebooks in otter/{assignment}/, "
                f"Gradescope autograder {zip_path.relative_to(root)}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__.split("\n")[0])
    parser.add_argument("--course", help="course directory (default: found from the working directory)")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("generate", help="regenerate release/, reference outputs and solutions/ from source/")
    p.add_argument("assignments", nargs="*", help="assignments (default: all)")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("references", help="re-record only the reference outputs from the solutions; print what each check costs")
    p.add_argument("assignments", nargs="*")
    p.set_defaults(func=cmd_references)

    p = sub.add_parser("prove", help="grade solution, blank release, wrong variants and honest alternatives",
                       description="Grade the solution, the blank release, every wrong variant and every honest "
                                   "alternative with the real `nbgrader autograde` (--fast: the batch grader only) and "
                                   "check that each scores what it must; then print each numeric check's margin: the "
                                   "largest error of an honest answer and the smallest of a wrong one, in units of the "
                                   "tolerance (from the batch grader's records of the same notebooks). Exit 1 unless "
                                   "everything holds, honest answers within the tolerance and wrong ones at least 10 "
                                   "tolerances away.")
    p.add_argument("assignments", nargs="*")
    p.add_argument("--fast", action="store_true", help="grade with the batch grader only")
    p.set_defaults(func=cmd_prove)

    p = sub.add_parser(
        "grade", help="grade all submissions of assignments: fast, judged outside the student's process",
        description="Grade submitted/<student>/ASSIGNMENT/ into autograded/ and nbgrader's gradebook, as "
                    "`nbgrader autograde` does, but with notebooks run in forked pre-warmed children and the "
                    "hidden checks judged in this process. Several assignments (or --all) are graded in one "
                    "batch that imports TensorFlow once. Already graded submissions are skipped (resume "
                    "after an interruption by running the same command); --force regrades. Exit status: 0 the "
                    "batch finished (every submission has a record, failures included), 2 usage error, 3 the "
                    "batch could not start (course, gradebook or references missing), 130 interrupted.")
    p.add_argument("assignments", nargs="*", metavar="ASSIGNMENT")
    p.add_argument("--all", action="store_true", help="every assignment of the course")
    p.add_argument("--student", action="append", metavar="ID", help="grade only this student (repeatable)")
    p.add_argument("--workers", type=int, default=0, help="notebooks run at once (default: number of cores)")
    p.add_argument("--timeout", type=float, default=600.0, metavar="SECONDS",
                   help="wall-clock limit per notebook (default 600)")
    p.add_argument("--cell-timeout", type=float, default=None, metavar="SECONDS",
                   help="limit per cell (default: Execute.timeout of nbgrader_config.py)")
    p.add_argument("--memory-mb", type=int, default=4096, metavar="MB",
                   help="address-space limit of each notebook's process (default 4096)")
    p.add_argument("--force", action="store_true", help="regrade submissions that were already graded")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="run the notebooks on the workers of this Dask scheduler (default: locally; "
                        "see docs/dask.md)")
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("report", help="the class report: one self-contained HTML page with plots",
                       description="Score distribution, per-question mean and pass rate, the most frequent "
                                   "failure messages, submissions that did not run and late submissions, "
                                   "read from the gradebook and autograded/.")
    p.add_argument("assignments", nargs="*")
    p.add_argument("--all", action="store_true", help="every assignment that has submissions")
    p.add_argument("--output", help="HTML file to write (default: reports/class-report.html)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("similarity", help="who copied from whom: pairs of submissions ranked by similarity",
                       description="Compare every pair of submitted/<student>/ASSIGNMENT/ notebooks on what the "
                                   "students wrote (answer cells: code, and free text as text), the release's own "
                                   "code and text ignored, with Dolos (`make node-deps` installs it). Writes "
                                   "reports/similarity-ASSIGNMENT.html (flagged pairs side by side, matching "
                                   "fragments marked) and reports/similarity-ASSIGNMENT.csv. Notebooks that cannot "
                                   "be read are listed with the reason. See docs/similarity.md.")
    p.add_argument("assignment", metavar="ASSIGNMENT")
    p.add_argument("--threshold", type=float, metavar="X",
                   help="similarity (0-1) at or above which a pair is flagged (default 0.8)")
    p.set_defaults(func=cmd_similarity)

    p = sub.add_parser("export", help="grades.csv (nbgrader export) and grades-canvas.csv (Canvas import layout)")
    p.add_argument("--output-dir", help="where to write the two CSV files (default: the course directory)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("otter", help="the assignments as otter-grader autograders for Gradescope",
                       description="Write otter/<a>/ (the otter-assign master notebook and the student "
                                   "notebook) from source/, run `otter assign`, and build "
                                   "build/otter/<a>/autograder/<a>-autograder.zip (needs the reference "
                                   "outputs: `python -m autograder generate`). See docs/gradescope.md.")
    p.add_argument("assignments", nargs="*", help="assignments (default: all)")
    p.set_defaults(func=cmd_otter)

    p = sub.add_parser("demo", help="a full course cycle in a throwaway course: release, submit, autograde, export")
    p.add_argument("assignments", nargs="*")
    p.add_argument("--workdir", default="build/demo", help="where the demo course is created (default: build/demo)")
    p.add_argument("--fast", action="store_true", help="fewer simulated students (for CI)")
    p.set_defaults(func=cmd_demo)
    return parser


def program(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    args.func(args)


def main(argv: list[str] | None = None) -> int:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        program(argv)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return ExitStatus.INTERRUPTED
    except AutograderError as exc:
        if debug:
            traceback.print_exc()
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_status
    return ExitStatus.SUCCESS
