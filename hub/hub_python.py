"""The interpreter of the users' servers and kernels, and of the services the hub runs as
other unix accounts (formgrader, the grading service): it must be runnable by them."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from hub_layout import REPO, as_root


def _reachable_by_others(path: Path) -> bool:
    """Can any unix user run this file (every folder above it searchable by others)?"""
    path = path.resolve()
    return all(os.stat(p).st_mode & 0o001 for p in path.parents) and bool(os.stat(path).st_mode & 0o005)


def user_python() -> str:
    """The interpreter of the users' servers and kernels. With one unix account per user it
    must be runnable by them: this project's virtualenv usually is, but not when its base
    interpreter lives in a private home (pyenv under /root, mode 0700). Then the base
    installation (interpreter, libpython, standard library: not its site-packages) is linked
    into build/hub-python-base (hard links, a copy across file systems) and a virtualenv
    build/hub-python made from it sees this virtualenv's packages through a .pth file. Same
    interpreter build, nothing changed in /root. Servers need LD_LIBRARY_PATH=user_lib_path()."""
    if not as_root() or _reachable_by_others(Path(sys.executable)):
        return sys.executable
    minor = f"python{sys.version_info.major}.{sys.version_info.minor}"
    base = REPO / "build" / "hub-python-base"
    target = REPO / "build" / "hub-python"
    python = target / "bin" / "python"
    site = next(Path(p) for p in sys.path if p.endswith("site-packages") and p.startswith(sys.prefix))
    pth = f"import site; site.addsitedir({str(site)!r})\n"
    pth_file = target / "lib" / minor / "site-packages" / "course_venv.pth"
    if python.exists() and pth_file.is_file() and pth_file.read_text() == pth:
        return str(python)
    lock = REPO / "build" / "hub-python.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    import fcntl
    with lock.open("w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)  # two test workers may get here at once
        if python.exists() and pth_file.is_file() and pth_file.read_text() == pth:
            return str(python)
        shutil.rmtree(base, ignore_errors=True)
        shutil.rmtree(target, ignore_errors=True)
        src = Path(sys.base_prefix)

        def link(a, b):
            try:
                os.link(a, b)
            except OSError:
                shutil.copy2(a, b)

        def skip(folder, names):
            return ["site-packages", "__pycache__", "test", "idlelib", "tkinter"] if Path(folder) == src / "lib" / minor else []

        shutil.copytree(src / "bin", base / "bin", symlinks=True, copy_function=link)
        shutil.copytree(src / "lib", base / "lib", symlinks=True, copy_function=link, ignore=skip)
        (base / "lib" / minor / "site-packages").mkdir()
        exe = base / "bin" / Path(sys._base_executable).resolve().name
        env = dict(os.environ, LD_LIBRARY_PATH=str(base / "lib"))
        subprocess.run([str(exe), "-m", "venv", "--without-pip", str(target)], check=True, env=env)
        pth_file.write_text(pth)
    return str(python)


def user_lib_path() -> str:
    """LD_LIBRARY_PATH for user_python(): its libpython, whose RUNPATH points to the original."""
    base = REPO / "build" / "hub-python-base" / "lib"
    return str(base) if user_python() != sys.executable else os.environ.get("LD_LIBRARY_PATH", "")
