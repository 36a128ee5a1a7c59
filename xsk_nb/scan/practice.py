"""A practice notebook with planted leaks, for the class: students scan it and fix it.

It cannot live in the repository (it would hold real keys), so it is written on demand with
keys drawn fresh from ``secrets``, each planted where notebooks hide keys.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

from xsk_nb.keygen import create_secret_key

#: The leaks planted, in the notebook's order (the lesson's answer key, without the keys).
PLANTED = (
    "cell 2, source: a JWK pasted into code",
    "cell 3, output 1 (stdout): print(create_secret_key(512))",
    "cell 4, output 1 (stdout): a token printed, signed with a weak secret, no exp",
    "cell 5, output 1 (text/plain): a .env file shown with !cat",
)
#: Planted on purpose and reported apart: an output the kit marks as revealed.
REVEALED = "cell 6, output 1 (text/plain): a key revealed on purpose"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _hs256(claims: dict[str, Any], secret: bytes) -> str:
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = _b64url(json.dumps(claims).encode())
    signature = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64url(signature)}"


def _cell(kind: str, source: str, outputs: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    cell: dict[str, Any] = {"cell_type": kind, "id": secrets.token_hex(4), "metadata": {},
                            "source": source}
    if kind == "code":
        cell.update(execution_count=None, outputs=outputs or [])
    return cell


def _stream(text: str) -> dict[str, Any]:
    return {"output_type": "stream", "name": "stdout", "text": text}


def _revealed(text: str) -> dict[str, Any]:
    """A display output marked as the kit marks a reveal (agreement A2; nbformat 4 gives
    metadata to display_data and execute_result outputs only)."""
    return {"output_type": "display_data", "data": {"text/plain": text},
            "metadata": {"xsk_nb": {"revealed": True}}}


#: Notebook metadata that marks a practice notebook, so running the lesson again replaces it.
MARK = {"practice": True}


def _is_practice(path: Path) -> bool:
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(notebook, dict) and (notebook.get("metadata") or {}).get("xsk_nb") == MARK


#: What lesson 5 writes beside itself (git-ignored; never published, never run as a lesson).
PRACTICE_NOTEBOOK = "practice_leaks.ipynb"


def make_practice_notebook(path: str | os.PathLike[str] = PRACTICE_NOTEBOOK) -> Path:
    """Write the practice notebook to ``path`` and return it. An existing file is replaced
    only if it is a practice notebook made here (running the lesson again); any other file
    is refused and left as it is."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError("path must be a file path, e.g. 'practice_leaks.ipynb'")
    target = Path(path)
    if target.suffix != ".ipynb":
        raise ValueError("path must end in .ipynb, e.g. 'practice_leaks.ipynb'")
    pasted, printed, in_env, revealed = (create_secret_key(512)["k"] for _ in range(4))
    token = _hs256({"sub": "student-7", "admin": True}, b"secret")
    cells = [
        _cell("markdown", "# Practice: find the leaks\n\nThis notebook leaks keys the way real "
              "notebooks do. Run `%xs_scan practice_leaks.ipynb`, then fix each finding."),
        _cell("code", f'signing_key = {{"kty": "oct", "k": "{pasted}"}}'),
        _cell("code", "print(xsk_nb.create_secret_key(512))",
              [_stream(repr({"kty": "oct", "k": printed}) + "\n")]),
        _cell("code", "print(token)", [_stream(token + "\n")]),
        _cell("code", "!cat .env", [{"output_type": "execute_result", "execution_count": None,
                                     "metadata": {},
                                     "data": {"text/plain": f"JWT_SECRET={in_env}\n"}}]),
        _cell("code", "report.reveal()  # on purpose, for the demo",
              [_revealed(repr({"kty": "oct", "k": revealed}))]),
    ]
    notebook = {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
                "metadata": {"xsk_nb": MARK,
                             "kernelspec": {"name": "python3", "display_name": "Python 3",
                                            "language": "python"}}}
    if target.exists() and not _is_practice(target):
        raise ValueError(f"{target} exists already and is not a practice notebook; give "
                         "another name or move it")
    text = json.dumps(notebook, indent=1) + "\n"
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".practice-", suffix=".ipynb")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
