"""The report's figures as PNG data URIs, so the page stays one self-contained file."""
from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .stats import AssignmentStats  # noqa: E402


def _data_uri(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def score_distribution(stats: AssignmentStats) -> str:
    fig, ax = plt.subplots(figsize=(6, 2.8))
    scores = list(stats.totals.values())
    top = max(stats.max_score, 1.0)
    ax.hist(scores, bins=min(20, max(5, len(scores))), range=(0, top), color="#3b7dd8", edgecolor="white")
    ax.set_xlim(0, top)
    ax.set_xlabel(f"score (out of {stats.max_score:g})")
    ax.set_ylabel("submissions")
    ax.set_title(f"{stats.name}: score distribution ({len(scores)} submissions)")
    return _data_uri(fig)


def question_pass_rates(stats: AssignmentStats) -> str:
    questions = [q for q in stats.questions if q.auto]
    fig, ax = plt.subplots(figsize=(6, 0.35 * len(questions) + 1.0))
    names = [q.name for q in questions]
    rates = [100 * q.pass_rate for q in questions]
    ax.barh(names, rates, color=["#d9534f" if r < 50 else "#5cb85c" for r in rates])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("full marks (% of submissions)")
    ax.set_title(f"{stats.name}: pass rate per automatically graded question")
    return _data_uri(fig)
