import subprocess
import sys

import nbformat
import pytest

from autograder.preprocessors import StripBenignStderr
from autograder.preprocessors.strip_benign_stderr import strip_benign_lines


@pytest.fixture(scope="module")
def tensorflow_import_stderr():
    """What importing TensorFlow and running one op really writes to stderr here."""
    proc = subprocess.run(
        [sys.executable, "-c", "import tensorflow as tf; tf.constant(1) + 1"],
        capture_output=True, text=True, check=True,
    )
    return proc.stderr


def test_tensorflow_start_up_lines_are_all_removed(tensorflow_import_stderr):
    assert strip_benign_lines(tensorflow_import_stderr) == ""


def test_real_errors_stay_even_next_to_benign_lines(tensorflow_import_stderr):
    real = "Traceback (most recent call last):\nValueError: bad\nE0000 00:00:1.1   9 bfc_allocator.cc:1] OOM\n"
    assert strip_benign_lines(tensorflow_import_stderr + real) == real


def test_python_warnings_and_their_source_line_are_removed():
    text = ("/x/keras/layer.py:95: UserWarning: Do not pass an `input_shape`\n"
            "  super().__init__(**kwargs)\n"
            "WARNING:tensorflow:5 out of the last 5 calls to <function f> triggered tf.function retracing.\n"
            "student message\n")
    assert strip_benign_lines(text) == "student message\n"


def test_preprocessor_drops_emptied_outputs_and_keeps_others():
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text="WARNING:absl:noise\n"),
        nbformat.v4.new_output("stream", name="stdout", text="hello\n"),
        nbformat.v4.new_output("stream", name="stderr", text="real problem\n"),
    ]
    cell, _ = StripBenignStderr().preprocess_cell(cell, {}, 0)
    assert [(o.name, o.text) for o in cell.outputs] == [("stdout", "hello\n"), ("stderr", "real problem\n")]
