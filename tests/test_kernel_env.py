"""The environment of the grading side's kernels and of the batch's zygote (kernels.kernel_env):
they start in other folders than the grader's command (a notebook's folder, /), so a Keras
cache given as a relative KERAS_HOME must reach them as the folder the grader meant."""
import os

from autograder.kernels import kernel_env
from autograder.runner.pool import zygote_env


def test_a_relative_keras_home_reaches_kernels_as_the_folder_it_named(tmp_path, monkeypatch):
    (tmp_path / "cache" / "datasets").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KERAS_HOME", "cache")
    env = kernel_env(tmp_path / "course")
    assert env["KERAS_HOME"] == str(tmp_path / "cache")
    monkeypatch.chdir("/")  # where the zygote starts: the same folder still
    assert os.path.isdir(os.path.join(env["KERAS_HOME"], "datasets"))


def test_an_absolute_keras_home_and_none_are_left_as_they_are(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert kernel_env(tmp_path)["KERAS_HOME"] == str(tmp_path)
    monkeypatch.delenv("KERAS_HOME")
    assert "KERAS_HOME" not in kernel_env(tmp_path)


def test_a_zygote_started_with_a_dask_workers_own_environment_gets_the_folder_too(tmp_path, monkeypatch):
    """A Dask worker starts its zygote with the worker's environment (batch/dask_pool.py), not
    kernel_env's: the zygote's own environment makes the path absolute."""
    monkeypatch.chdir(tmp_path)
    assert zygote_env({"KERAS_HOME": "cache", "PATH": "/usr/bin"})["KERAS_HOME"] == str(tmp_path / "cache")
    assert "KERAS_HOME" not in zygote_env({"PATH": "/usr/bin"})
