"""Save a key into a dotenv file without ever showing it (python-dotenv does the file format).

One code path for the magic's ``--env-file`` and the panel's "save to .env" action. Every check
runs before the file is touched, so a refused call writes nothing.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def check_env_target(path: str | os.PathLike[str], name: str, *, force: bool = False) -> Path:
    """Check that ``name`` may be written to the dotenv file ``path``; return the path.

    ``ValueError`` when the name is not a variable name, the folder is missing, the path is a
    folder, or the file already defines ``name`` and ``force`` is false.
    """
    from dotenv import dotenv_values

    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(
            f"env name must be a variable name (letters, digits and _, not starting with a "
            f"digit), such as JWT_SECRET; got {name!r:.40}"
        )
    target = Path(path).expanduser()
    if target.is_dir():
        raise ValueError(f"env file {str(target)!r} is a folder; give a file path such as .env")
    if not target.parent.is_dir():
        raise ValueError(f"env file's folder {str(target.parent)!r} does not exist")
    if target.exists() and name in dotenv_values(target) and not force:
        raise ValueError(
            f"{name} is already set in {str(target)!r}; choose another name or use force "
            f"to replace it"
        )
    return target


def save_jwk_to_env(
    jwk: dict[str, Any], path: str | os.PathLike[str], name: str, *, force: bool = False
) -> Path:
    """Write ``jwk`` as compact JSON to ``name`` in the dotenv file ``path``.

    A new file is created with mode 0600 (owner read/write only); an existing file keeps its
    mode. Returns the file's path. Nothing is written if a check fails.
    """
    from dotenv import set_key

    target = check_env_target(path, name, force=force)
    if not target.exists():
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    set_key(target, name, json.dumps(jwk, separators=(",", ":")), quote_mode="always")
    return target
