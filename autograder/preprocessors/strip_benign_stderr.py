"""Remove TensorFlow's start-up log lines and Python warnings from stderr outputs.

nbgrader gives a test cell zero points when it has *any* stderr output, and TensorFlow
writes INFO lines (oneDNN, CUDA probing, CPU features) to stderr on import; Keras and
tf.function emit warnings the same way. None of that is an error. This preprocessor
drops exactly those lines and keeps every other stderr line, so a real error still costs
the points. nbgrader's own IgnorePattern drops a whole stream output when one line
matches, which can hide a real error printed in the same chunk; this works line by line.
"""
from __future__ import annotations

import re

from nbgrader.preprocessors import NbGraderPreprocessor

BENIGN_LINES = [
    # absl's preamble before TensorFlow's C++ logging is initialised
    r"WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR",
    # TensorFlow C++ INFO and WARNING lines: I0000 00:00:1795357866.001977    3185 port.cc:153] ...
    r"[IW]\d{4} [\d:.]+\s+\d+ [\w.\-/]+:\d+\] .*",
    # continuation of cpu_feature_guard's INFO line
    r"To enable the following instructions: .*rebuild TensorFlow with the appropriate compiler flags\.",
    # ERROR-level lines that only say this machine has no GPU
    r"E\d{4} [\d:.]+\s+\d+ [\w.\-/]+:\d+\] (failed call to cuInit|Unable to register cu\w+ factory).*",
    # Python-level TensorFlow/absl warnings (retracing, deprecations)
    r"WARNING:(tensorflow|absl):.*",
]
_BENIGN = re.compile("|".join(f"(?:{p})" for p in BENIGN_LINES))
# warnings.showwarning format: "path:lineno: CategoryWarning: message", then an indented source line
_PY_WARNING = re.compile(r"^\S.*:\d+: \w*Warning: ")


def strip_benign_lines(text: str) -> str:
    """The stderr text without the benign lines; the other lines unchanged and in order."""
    kept: list[str] = []
    in_warning = False
    for line in text.splitlines(keepends=True):
        bare = line.rstrip("\r\n")
        if _PY_WARNING.match(bare):
            in_warning = True
            continue
        if in_warning and bare.startswith("  "):
            continue
        in_warning = False
        if _BENIGN.fullmatch(bare):
            continue
        kept.append(line)
    return "".join(kept)


class StripBenignStderr(NbGraderPreprocessor):
    """Drop TensorFlow log lines and Python warnings from every code cell's stderr."""

    uses_gradebook = False  # the batch grader may run it inside a gradebook transaction

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type != "code":
            return cell, resources
        outputs = []
        for output in cell.outputs:
            if output.output_type == "stream" and output.name == "stderr":
                output.text = strip_benign_lines(output.text)
                if not output.text:
                    continue
            outputs.append(output)
        cell.outputs = outputs
        return cell, resources
