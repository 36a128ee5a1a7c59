"""pytest hooks for running the lessons under nbval (``pytest --nbval notebooks solutions``).

Isolation, which nbval 0.11 does not do by itself: nbval starts its kernels from this process's
environment, so IPython's, Jupyter's and matplotlib's per-user folders are moved to a temporary
folder before any kernel starts; a test run leaves nothing in $HOME.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from typing import Any

_PER_USER_DIRS = (
    "IPYTHONDIR",
    "JUPYTER_CONFIG_DIR",
    "JUPYTER_DATA_DIR",
    "JUPYTER_RUNTIME_DIR",
    "MPLCONFIGDIR",
)
_saved_env: dict[str, str | None] = {}
#: Lesson 5 writes a practice notebook with freshly planted keys beside itself (git-ignored):
#: it is the students' to fix, not a lesson to validate.
collect_ignore_glob = ["notebooks/practice_leaks.ipynb", "solutions/practice_leaks.ipynb"]


def pytest_configure(config: Any) -> None:
    scratch = tempfile.mkdtemp(prefix="xsk-nbval-")
    # Removed at exit, after the in-process IPython shells of other tests (their atexit
    # handlers, registered later, run first) have closed their history files in it.
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    for name in (*_PER_USER_DIRS, "JUPYTER_PLATFORM_DIRS"):
        _saved_env[name] = os.environ.get(name)
    for name in _PER_USER_DIRS:
        os.environ[name] = os.path.join(scratch, name.lower())
    os.environ["JUPYTER_PLATFORM_DIRS"] = "1"


def pytest_unconfigure(config: Any) -> None:
    for name, value in _saved_env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
