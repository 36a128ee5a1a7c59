"""A real IPython shell for magic tests (as jupysql's TestingShell does), kept out of $HOME."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("IPYTHONDIR", tempfile.mkdtemp(prefix="xsk-ipython-"))
os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="xsk-mpl-"))

from IPython.core.interactiveshell import InteractiveShell


def loaded_shell() -> InteractiveShell:
    """The process's InteractiveShell with ``%load_ext xsk_nb`` done (again if unloaded)."""
    shell = InteractiveShell.instance()
    shell.run_line_magic("reload_ext", "xsk_nb")
    return shell
