"""The similarity report on a large class: wall time and peak memory.

    python benchmarks/similarity.py [--n 300] [--assignment ml_fundamentals] [--seed 0]

Builds a throwaway course with N submissions of one assignment made from the course's own
answers (tests/similarity/corpus.py): each student answers about 90 % of the questions, each
answer drawn from the solution, the honest alternatives and the wrong variants that cover it,
about a third of them disguised with one of the copiers' transformations; one student in ten
copies an earlier student's whole notebook with all of them; one in 25 hands in the blank
release and one in 50 a broken file. Then runs `similarity_report` (what `python -m
autograder similarity` runs) and prints its wall time, the peak memory of the process tree
(Python and Node), and how many planted copies it flagged.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "benchmarks")]

from autograder import nbgrader_run  # noqa: E402
from autograder.prove import honest_dir, variants_dir  # noqa: E402
from autograder.similarity import similarity_report  # noqa: E402
from autograder.submissions import read_variants, solution_answers  # noqa: E402
from grading_speed import PeakMemory  # noqa: E402
from similarity.copying import (TEXT_TRANSFORMATIONS, TRANSFORMATIONS, all_text_transformations,  # noqa: E402
                                all_transformations)
from similarity.corpus import OWN_WORDS, PlantedClass, course_with, model_answer  # noqa: E402


def answer_pool(root: Path, assignment: str) -> dict[str, list[str]]:
    """Every answer the course has for each answer cell: solution, honest alternatives, wrong variants."""
    solution = solution_answers(root / "source" / assignment / f"{assignment}.ipynb")
    pool = {cell: [text] for cell, text in solution.items()}
    for variant in read_variants(honest_dir(REPO, assignment)) + read_variants(variants_dir(REPO, assignment)):
        for cell, text in variant.cells.items():
            pool[cell].append(text)
    for cell, texts in OWN_WORDS.get(assignment, {}).items():
        pool[cell] = [model_answer(pool[cell][0])] + texts
    return pool


def build_class(dest: Path, assignment: str, n: int, seed: int) -> tuple[PlantedClass, int]:
    rng = random.Random(seed)
    root = course_with(dest, assignment)
    planted = PlantedClass(root, assignment)
    pool = answer_pool(root, assignment)
    text_cells = set(OWN_WORDS.get(assignment, {}))
    written: dict[str, dict[str, str]] = {}
    broken = 0
    for i in range(n):
        student = f"s{i:03d}"
        if i % 50 == 49:
            folder = root / "submitted" / student / assignment
            folder.mkdir(parents=True)
            (folder / f"{assignment}.ipynb").write_text('{"cells": [')
            broken += 1
        elif i % 25 == 24:
            release = root / "release" / assignment / f"{assignment}.ipynb"
            nbgrader_run.submit(root, assignment, student, nbformat.read(release, as_version=4))
        elif i % 10 == 9 and written:
            original = rng.choice(sorted(written))
            planted.add(student, {cell: (all_text_transformations if cell in text_cells else all_transformations)(text)
                                  for cell, text in written[original].items()}, reorder_cells=True)
            planted.copies.append((original, student))
        else:
            answers = {}
            for cell, texts in pool.items():
                if rng.random() < 0.9:
                    text = rng.choice(texts)
                    if rng.random() < 0.33:
                        transformations = TEXT_TRANSFORMATIONS if cell in text_cells else TRANSFORMATIONS
                        text = transformations[rng.choice(sorted(transformations))](text)
                    answers[cell] = text
            planted.add(student, answers)
            written[student] = answers
    return planted, broken


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--assignment", default="ml_fundamentals")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="similarity-bench-") as tmp:
        start = time.perf_counter()
        planted, broken = build_class(Path(tmp) / "course", args.assignment, args.n, args.seed)
        built = time.perf_counter() - start
        with PeakMemory() as memory:
            start = time.perf_counter()
            comparison, page, table = similarity_report(planted.root, args.assignment)
            seconds = time.perf_counter() - start
        flagged = {frozenset((p.a, p.b)) for p in comparison.flagged}
        found = sum(1 for pair in planted.copies if frozenset(pair) in flagged)
        print(f"{args.n} submissions of {args.assignment} ({len(comparison.questions)} questions; built in {built:.1f} s)")
        print(f"similarity report: {seconds:.1f} s wall, peak memory {memory.peak / 2**20:,.0f} MB "
              f"(Python and Node together)")
        print(f"{len(comparison.pairs):,} pairs share something; {len(comparison.flagged):,} at or above "
              f"{comparison.threshold:g} over the whole notebook, {len(comparison.flagged_on_questions):,} more on a "
              f"question; {len(comparison.unreadable)} unreadable (planted {broken})")
        print(f"planted whole-notebook copies flagged: {found} of {len(planted.copies)}")
        print(f"page {page.stat().st_size / 2**20:.1f} MB, CSV {table.stat().st_size / 2**20:.1f} MB")


if __name__ == "__main__":
    main()
