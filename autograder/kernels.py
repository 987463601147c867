"""How the Jupyter kernels that run course notebooks on the grading side are started (nbgrader's
Execute, reference recording): their arguments and environment, in one place."""
from __future__ import annotations

import copy
import os
import sys
from pathlib import Path

from .course import COURSE_ROOT_ENV

# ipykernel replaces builtins.input with a fresh bound method around every cell and frees it
# afterwards. TensorFlow's AutoGraph takes the ids of all builtins when TensorFlow is imported
# (autograph/pyct/inspect_utils.py, _BUILTIN_FUNCTION_IDS): imported in a cell, it keeps the id of
# that temporary method, and a later object allocated at the same address (e.g. the method
# TensorFlow binds for a tf.function __call__ of a new tf.Module) is taken for a builtin and
# called without its instance: "'TfMethodTarget' object has no attribute ...", at random.
# Binding raw_input once keeps the one object builtins.input is set to alive for good.
PIN_KERNEL_INPUT = "_k = get_ipython().kernel; _k.raw_input = _k.raw_input; del _k"
KERNEL_ARGUMENTS = [f"--IPKernelApp.exec_lines={PIN_KERNEL_INPUT}"]


def language_info() -> dict:
    """What a Python kernel of this interpreter says of its language: nbgrader's Execute stores
    it in the notebook's metadata (nbclient), and feedback highlights code by it. The batch
    grader's children run on this interpreter, without a kernel to ask."""
    from ipykernel.ipkernel import IPythonKernel
    return copy.deepcopy(IPythonKernel.language_info)


def kernel_env(root: Path) -> dict[str, str]:
    """Environment of kernels and nbgrader runs on the grading side."""
    env = dict(os.environ)
    env[COURSE_ROOT_ENV] = str(root)
    # nbgrader calls its helper `alembic` by name: the interpreter's scripts must be on PATH
    # even when the virtualenv is not activated.
    scripts = os.path.dirname(sys.executable)
    env["PATH"] = os.pathsep.join([scripts, env.get("PATH", "")])
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")
    return with_absolute_keras_home(env)


def with_absolute_keras_home(env: dict[str, str]) -> dict[str, str]:
    """`env` with a relative KERAS_HOME made absolute, as the grader's user meant it: from where
    this process runs, not from the folder a kernel or a zygote starts in (a notebook's folder,
    /). Every process started in another folder gets its environment through this."""
    env = dict(env)
    if env.get("KERAS_HOME"):
        env["KERAS_HOME"] = os.path.abspath(env["KERAS_HOME"])
    return env


def keras_cache_home() -> Path:
    """Where Keras looks for its cache (datasets, models) in a process started with this
    environment: $KERAS_HOME, else ~/.keras when the home folder is writable, else /tmp/.keras
    (keras/src/backend/config.py, read without importing Keras)."""
    if "KERAS_HOME" in os.environ:
        return Path(os.environ["KERAS_HOME"])
    home = Path(os.path.expanduser("~"))
    return (home if os.access(home, os.W_OK) else Path("/tmp")) / ".keras"
