"""``c.MagicsManager.lazy_magics``: the extension loads on a magic's first use, no %load_ext.

IPython has no entry point that loads an extension by itself (ipython/ipython#9363); its
``lazy_magics`` setting maps a magic's name to the module whose ``load_ipython_extension``
defines it, and loads that module the first time the magic is used. This is the README's
``ipython_config.py`` line, run by a real ``ipython`` with a private IPYTHONDIR.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = (
    'c.MagicsManager.lazy_magics = {"xs_secret_key": "xsk_nb", "xanoscript": "xsk_nb", '
    '"xs_xano_env": "xsk_nb"}\n'
)


def ipython(tmp_path: Path, code: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "ipython" / "profile_default"
    profile.mkdir(parents=True)
    (profile / "ipython_config.py").write_text(CONFIG)
    env = {**os.environ, "IPYTHONDIR": str(tmp_path / "ipython"), "PYTHONPATH": str(ROOT),
           "HOME": str(tmp_path)}  # fmt: skip
    env.pop("XSK_NB_VIEW", None)
    command = [sys.executable, "-m", "IPython", "--no-banner", "--colors=nocolor", "-c", code]
    return subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_a_line_magic_loads_the_extension_on_first_use(tmp_path: Path) -> None:
    done = ipython(
        tmp_path,
        'import sys; print("before:", "xsk_nb" in sys.modules)\n'
        "%xs_secret_key --bits 512\n"
        'print("after:", "xsk_nb" in sys.modules)\n',
    )
    assert done.returncode == 0, done.stderr
    assert "before: False" in done.stdout  # nothing of the kit is imported until then
    assert "512 bits, 64 bytes, 86 base64url characters" in done.stdout
    assert "after: True" in done.stdout


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("%%xanoscript\nresponse = 1 + 1\n", "XanoScript response:\n2"),
        ("%xs_xano_env JWT_SECRET\n", "give exactly one of --tenant NAME or --sandbox"),
    ],
)
def test_the_other_magics_load_it_too(tmp_path: Path, code: str, expected: str) -> None:
    done = ipython(tmp_path, code)
    assert expected in done.stdout + done.stderr, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
