"""python -m autograder.hub_feedback [--course DIR] [--poll 1] [--workers 1] [--once]

The course hub runs this as a JupyterHub-managed service in the course directory, as the
grader's unix account (hub/jupyterhub_config.py). --once: one scan, then exit."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .service import FeedbackService, serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.hub_feedback", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--course", type=Path, default=Path.cwd(), help="the course directory (default: here)")
    parser.add_argument("--poll", type=float, default=1.0, help="seconds between scans of the inbound folder")
    parser.add_argument("--workers", type=int, default=1, help="notebooks graded at once")
    parser.add_argument("--once", action="store_true", help="one scan, then exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stdout,
                        format="[hub-feedback %(asctime)s %(levelname)s] %(message)s")
    try:
        if args.once:
            with FeedbackService(args.course, workers=args.workers) as service:
                service.step()
        else:
            serve(args.course, args.poll, args.workers)
    except (ValueError, RuntimeError) as exc:  # the policy or the configuration: said, not a traceback
        print(f"hub-feedback: cannot run: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
