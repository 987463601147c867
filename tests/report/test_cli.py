"""`python -m autograder report` and `export` from a course directory."""
from __future__ import annotations

import subprocess
import sys


def run(root, *args):
    return subprocess.run([sys.executable, "-m", "autograder", "--course", str(root), *args],
                          capture_output=True, text=True, timeout=300)


def test_report_needs_assignments_or_all(graded_class):
    proc = run(graded_class["root"], "report")
    assert proc.returncode == 2
    assert "name the assignments to report on, or --all" in proc.stderr


def test_report_all_and_export_write_their_files(graded_class, tmp_path):
    out = tmp_path / "r.html"
    proc = run(graded_class["root"], "report", "--all", "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "<h2>mini</h2>" in out.read_text()
    proc = run(graded_class["root"], "export", "--output-dir", str(tmp_path / "csv"))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "csv" / "grades.csv").is_file() and (tmp_path / "csv" / "grades-canvas.csv").is_file()


def test_report_on_an_unknown_assignment_is_a_clear_error(graded_class):
    proc = run(graded_class["root"], "report", "no_such_assignment")
    assert proc.returncode == 3
    assert "unknown assignment" in proc.stderr and "Traceback" not in proc.stderr
