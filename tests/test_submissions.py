import nbformat
import pytest

from autograder.submissions import WrongVariant, filled_release


def test_variant_file_is_parsed(tmp_path):
    path = tmp_path / "two_cells.py"
    path.write_text('"""Two mistakes."""\n# loses: a, b\n# %% cell: first\nx = 1\n# %% cell: second\ny = 2\n')
    v = WrongVariant.read(path)
    assert (v.name, v.description, v.loses) == ("two_cells", "Two mistakes.", ("a", "b"))
    assert v.cells == {"first": "x = 1\n", "second": "y = 2\n"}


def test_variant_without_loses_line_is_an_error(tmp_path):
    path = tmp_path / "bad.py"
    path.write_text("# %% cell: first\nx = 1\n")
    with pytest.raises(ValueError, match="loses"):
        WrongVariant.read(path)


def test_filled_release_uses_solution_without_markers(mini_course, tmp_path):
    from conftest import mini_notebook
    release = mini_notebook()
    release.cells[2].source = "def double(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    nbformat.write(release, tmp_path / "release.ipynb")
    src = mini_course / "source" / "mini" / "mini.ipynb"
    nb = filled_release(tmp_path / "release.ipynb", src)
    assert nb.cells[2].source == "def double(x):\n    return np.asarray(x) * 2.0"
    with pytest.raises(KeyError, match="not answer cells"):
        filled_release(tmp_path / "release.ipynb", src, {"double_values": "x"})
