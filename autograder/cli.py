"""Command line: `python -m autograder COMMAND`. Thin: each command calls a library function.

`program()` raises; `main()` is the one boundary that turns exceptions into messages and
exit codes (`--debug` shows the traceback instead).

Exit codes: 0 success; 1 a check did not hold (proof failed, leak, out of sync);
2 usage error; 3 the course or a tool failed (missing files, nbgrader error, broken
solution); 130 interrupted.
"""
from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from . import course, hidden
from .course import CourseNotFound
from .generate import LeakFound
from .nbgrader_run import NbgraderFailed
from .references import ReferenceBuildError


class CheckDidNotHold(Exception):
    """A verification command found problems (exit code 1)."""


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
    generate_all(root, _assignments(root, args.assignments))


def cmd_references(args) -> None:
    from .references import build_references
    root = _root(args)
    for assignment in _assignments(root, args.assignments):
        print(build_references(root, assignment))


def cmd_prove(args) -> None:
    from .prove import prove
    root = _root(args)
    failed = []
    for assignment in _assignments(root, args.assignments):
        proof = prove(root, assignment)
        print(f"{assignment}: solution {sum(proof.scores.get('solution', {}).get(c, 0) for c in proof.auto_ids):g}"
              f" of {sum(proof.max_scores[c] for c in proof.auto_ids):g} automatic points; "
              f"{len(proof.variants)} wrong variants")
        for problem in proof.problems:
            print(f"  PROBLEM {problem}")
        if not proof.ok:
            failed.append(assignment)
    if failed:
        raise CheckDidNotHold(f"grading not proven for: {', '.join(failed)}")


def cmd_demo(args) -> None:
    from .demo import run_demo
    root = _root(args)
    run_demo(root, Path(args.workdir).resolve(), _assignments(root, args.assignments), fast=args.fast)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__.split("\n")[0])
    parser.add_argument("--course", help="course directory (default: found from the working directory)")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("generate", help="regenerate release/, reference outputs and solutions/ from source/")
    p.add_argument("assignments", nargs="*", help="assignments (default: all)")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("references", help="re-record only the reference outputs from the solutions")
    p.add_argument("assignments", nargs="*")
    p.set_defaults(func=cmd_references)

    p = sub.add_parser("prove", help="grade solution, blank release and wrong variants with nbgrader autograde")
    p.add_argument("assignments", nargs="*")
    p.set_defaults(func=cmd_prove)

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
        return 130
    except CheckDidNotHold as exc:
        if debug:
            traceback.print_exc()
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (CourseNotFound, NbgraderFailed, ReferenceBuildError, LeakFound, hidden.UnknownCheck,
            hidden.ReferenceMissing) as exc:
        if debug:
            traceback.print_exc()
        print(f"error: {exc}", file=sys.stderr)
        return 1 if isinstance(exc, LeakFound) else 3
    return 0
