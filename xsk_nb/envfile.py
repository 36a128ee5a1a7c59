"""Save a key into a dotenv file without ever showing it.

One code path for the magic's ``--env-file``, the panel's "save to .env" action and the
command line's ``--env-file``. python-dotenv parses the existing file (its parser keeps every
other line as it was); :mod:`xsk_nb.private_file` does the locked, atomic, 0600 write and
refuses symlinks, devices, FIFOs, folders and files other users can read.

The value is written so that it means the same to python-dotenv and to a POSIX shell
(``set -a; . ./.env``), and runs nothing in either:

- the JWK's compact JSON, with ``$`` and backtick written as the JSON escapes ``\\u0024`` and
  ``\\u0060`` (the same JSON value; python-dotenv would otherwise expand ``${...}`` even in
  single quotes, and a shell would run a backtick inside double quotes);
- in single quotes when the JSON holds no ``'`` and no backslash (every key this kit makes;
  also the form Node's dotenv and Docker Compose read literally);
- otherwise in double quotes with ``\\`` and ``"`` backslash-escaped, the two escapes a shell
  and python-dotenv both undo, and nothing else special is left inside.

Every refusal is a ``ValueError`` with one sentence; the variable name and the key are never
echoed in one (a mistyped name may be a pasted key).
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path
from typing import Any

from xsk_nb.contract import validate_env_name
from xsk_nb.private_file import (
    as_path,
    check_private_target,
    read_private_text,
    update_private_file,
)

_WHAT = "env file"


def _names_in(text: str | None) -> set[str]:
    if not text:
        return set()
    from dotenv import dotenv_values

    return {key for key in dotenv_values(stream=io.StringIO(text), interpolate=False)}


def _refuse_existing(text: str | None, name: str, path: Path, force: bool) -> None:
    if not force and name in _names_in(text):
        raise ValueError(
            f"the env name given is already set in {str(path)!r}; choose another name or use "
            "force to replace it"
        )


def check_env_target(path: str | os.PathLike[str], name: str, *, force: bool = False) -> Path:
    """Check that ``name`` may be written to the dotenv file ``path``; return the path.

    Called by the magic and the panel before a key is drawn, and again (under the file's lock)
    by :func:`save_jwk_to_env`. ``ValueError`` when the name is not a variable name, the
    folder is missing, the path is not absent or a private regular file of this user (a
    folder, a symlink, a device, a FIFO, a file with mode looser than 0600), or the file
    already defines ``name`` and ``force`` is false. Nothing is opened for writing.
    """
    validate_env_name(name)
    target = as_path(path, _WHAT)
    if check_private_target(target, _WHAT) is not None:
        _refuse_existing(read_private_text(target, _WHAT), name, target, force)
    return target


def _checked_jwk(jwk: object) -> dict[str, Any]:
    from xsk_nb.keygen import key_bytes

    if not isinstance(jwk, dict):
        raise ValueError(
            "the key to save must be an oct JWK dict such as create_secret_key returns; got "
            f"a {type(jwk).__name__}"
        )
    try:
        key_bytes(jwk)  # kty is "oct" and k is canonical base64url (messages hold no key)
    except (TypeError, ValueError) as error:
        raise ValueError(f"the key to save is not an oct JWK: {error}") from None
    return jwk


def jwk_env_value(jwk: dict[str, Any]) -> str:
    """The right-hand side written for ``jwk``: inert in ``sh``, read back by python-dotenv.

    Parsing it with either gives the same JSON text, which ``json.loads`` turns back into
    ``jwk``. See the module docstring for the rule.
    """
    try:
        text = json.dumps(_checked_jwk(jwk), separators=(",", ":"), ensure_ascii=True)
    except (TypeError, ValueError) as error:
        if isinstance(error, ValueError) and str(error).startswith("the key to save"):
            raise
        raise ValueError("the key to save holds a member that is not JSON data") from None
    # `$` and "`" only occur inside JSON strings, where their \u escapes mean the same.
    text = text.replace("$", "\\u0024").replace("`", "\\u0060")
    if "'" not in text and "\\" not in text:
        return f"'{text}'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


#: Where JupyterLite's Pyodide kernel mounts the site's storage (jupyterlite-pyodide-kernel's
#: worker, initFilesystem: mountpoint "/drive", then chdir into it). It lives in the browser's
#: IndexedDB, outlives the tab and is read by every later notebook in that browser profile, so
#: on a shared classroom computer the next student would inherit a key saved there (agreement
#: A4, issue 24 leak 6); Pyodide's other folders are memory.
BROWSER_DRIVE = Path("/drive")
#: Where a key file goes instead in the browser-only site: a folder of Pyodide's memory.
BROWSER_MEMORY = Path("/tmp/xsk-nb-memory")
#: The one wording of where such a file is, for the panel's and the request's sentences.
IN_PAGE_MEMORY = (
    "in this page's memory only: not in the site's storage and not on your computer, so it is "
    "gone when you close or reload this page"
)


def browser_memory_path(path: object) -> Any:  # Any: the writer refuses non-paths itself
    """Where a key file ``path`` goes in the browser-only site: the same name, in memory.

    A path inside the site's storage (:data:`BROWSER_DRIVE`) is moved to the same place under
    :data:`BROWSER_MEMORY`, whose folders are made to match the drive's; when the drive has no
    such folder, the path is left as typed, so the writer refuses it as it would anywhere. A
    path outside the drive is in memory already. Anything else is passed on, for the writer to
    refuse in its own words.
    """
    if not isinstance(path, (str, os.PathLike)) or not str(path) or "\x00" in str(path):
        return path
    try:
        absolute = Path(os.path.normpath(Path.cwd() / path))  # "/drive/../x" is not in it
        relative = absolute.relative_to(BROWSER_DRIVE)
    except (ValueError, OSError, TypeError):
        return path  # not in the drive: already in memory, or refused by the writer
    if relative == Path("."):
        return path
    try:
        if not (BROWSER_DRIVE / relative).parent.is_dir():
            return path
        target = BROWSER_MEMORY / relative
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return path
    return str(target)


def in_page_memory(path: str | os.PathLike[str]) -> bool:
    """Whether a key file :func:`save_jwk_to_env` wrote is the browser site's in-memory one."""
    return sys.platform == "emscripten" and BROWSER_MEMORY in Path(path).resolve().parents


def save_jwk_to_env(
    jwk: dict[str, Any], path: str | os.PathLike[str], name: str, *, force: bool = False
) -> Path:
    """Write ``jwk`` as compact JSON to ``name`` in the dotenv file ``path``; return the path.

    In the browser-only site a path in the site's storage goes to the page's memory instead
    (:func:`browser_memory_path`), and the caller says so (:func:`in_page_memory`).

    The file is replaced atomically and ends with mode 0600; other variables and comments are
    kept as they were. A file that is not private already (mode looser than 0600) is refused
    rather than tightened behind the user's back. 16 concurrent saves of different names to
    one file all survive (a lock on the folder orders them). Nothing is written when a check
    fails or the disk is full: every refusal is a ``ValueError`` with one sentence.
    """
    validate_env_name(name)
    if sys.platform == "emscripten":  # the browser-only site: never into its lasting storage
        path = browser_memory_path(path)
    line = f"{name}={jwk_env_value(jwk)}\n"

    def build(old: str | None) -> str:
        _refuse_existing(old, name, target, force)
        if not old:
            return line
        # python-dotenv's parser is not in dotenv.__all__, but its public API cannot do this:
        # dotenv_values gives values without each line's original text, and set_key writes the
        # file itself by path (no folder lock, a loose existing mode kept, it reads through a
        # symlink: theskumar/python-dotenv#690), bypassing private_file's rules. The <2 pin
        # holds the parser still; tests/test_envfile.py fails loudly if it moves.
        from dotenv.parser import parse_stream

        out: list[str] = []
        replaced = False
        for binding in parse_stream(io.StringIO(old)):
            if binding.key == name:
                if not replaced:  # the first definition is replaced, later duplicates dropped
                    out.append(line)
                    replaced = True
                continue
            out.append(binding.original.string)
        if not replaced:
            if out and not out[-1].endswith(("\n", "\r")):
                out.append("\n")
            out.append(line)
        return "".join(out)

    target = as_path(path, _WHAT)
    return update_private_file(target, _WHAT, build)
