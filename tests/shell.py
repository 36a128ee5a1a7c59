"""A real IPython shell for magic tests (as jupysql's TestingShell does), kept out of $HOME."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

_scratch = tempfile.mkdtemp(prefix="xsk-test-shell-")
# Registered before the shell exists, so it runs after IPython's own exit handlers (LIFO).
atexit.register(shutil.rmtree, _scratch, ignore_errors=True)
os.environ.setdefault("IPYTHONDIR", os.path.join(_scratch, "ipython"))
os.environ.setdefault("MPLCONFIGDIR", os.path.join(_scratch, "matplotlib"))

from collections.abc import Iterator  # noqa: E402
from typing import Any  # noqa: E402

from IPython.core.interactiveshell import InteractiveShell  # noqa: E402


def loaded_shell() -> InteractiveShell:
    """The process's InteractiveShell with ``%load_ext xsk_nb`` done (again if unloaded)."""
    shell = InteractiveShell.instance()
    shell.run_line_magic("reload_ext", "xsk_nb")
    return shell


def xanoscript_shell() -> Iterator[InteractiveShell]:
    """The process's InteractiveShell with only the XanoScript magics registered, for a test.

    Use as ``shell = pytest.fixture(name="shell")(xanoscript_shell)``.
    """
    from xsk_nb.xanoscript.magic import register, unregister

    shell = InteractiveShell.instance()
    register(shell)
    yield shell
    unregister(shell)


def captured_texts(captured: Any) -> list[str]:
    """Everything an IPython ``capture_output`` caught: stdout, stderr and every display's
    data, each MIME type's text (what a notebook would save)."""
    texts = [captured.stdout, captured.stderr]
    for output in captured.outputs:
        texts += list(output.data.values())
    return texts
