"""The Jupyter save guard: a jupyter_server pre-save hook that keeps unrevealed keys off disk.

Enable it with one line in a ``jupyter_server_config.py`` (``make lab`` and Binder do)::

    c.ContentsManager.pre_save_hook = "xsk_nb.scan.save_guard.pre_save_hook"

On every notebook save it scans the notebook as ``xsk-nb scan`` does, then:

- a key in an **output**, in metadata or in saved widget state, not revealed on purpose: the
  file is written with each such key replaced by the kit's masked label, and the save answers
  with a message JupyterLab shows ("File Save Error" is JupyterLab's title for any message):
  what was masked, where, and that the page still shows it until the output is cleared;
- a key in a cell's **source**: the save is refused with a message (the file on disk keeps its
  previous contents), saying where the key is and how to keep it out or accept it on purpose;
- outputs marked revealed (agreement A2: output metadata ``{"xsk_nb": {"revealed": true}}``),
  cells with an allow comment, published example keys, and findings the baseline accepts
  (``.xsk-nb-scan-baseline.json`` in the folder the server was started from) are left alone.

Limits, plainly: it guards saves through the Jupyter server (JupyterLab, Notebook 7, Binder);
not JupyterLite (no server: use ``%xs_scan``), not files written by other programs, and not a
key the scanner does not recognise (see :mod:`xsk_nb.scan.detect`).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from xsk_nb.masking import masked
from xsk_nb.scan import baseline, detect
from xsk_nb.scan import files as F
from xsk_nb.scan.findings import KINDS, LEAK, fingerprint

CONFIG_LINE = 'c.ContentsManager.pre_save_hook = "xsk_nb.scan.save_guard.pre_save_hook"'
PREFIX = "xsk-nb save guard"
REFUSED = (
    PREFIX + ": not saved (the file on disk is unchanged). {where} holds a secret key ({what} "
    "{label}). Keep keys out of cells: load it from a .env file (%xs_secret_key --env-file "
    ".env), or delete it; to keep it on purpose, add a comment '# xsk-nb: allow (why)' to the "
    "cell. Then save again."
)
MASKED = (
    PREFIX + ": the notebook was saved, with {count} secret(s) masked in {places}: they "
    "were not revealed on purpose, so the file on disk holds none of them. This page still "
    "shows them until you clear those outputs (Edit > Clear Outputs of All Cells) or reload the "
    "notebook (File > Reload Notebook from Disk)."
)


def _leaks(places: Iterable[F.Place], accepted: Callable[[str], bool]
           ) -> list[tuple[F.Place, detect.Hit]]:
    found: list[tuple[F.Place, detect.Hit]] = []
    for place in places:
        if place.allowed or place.revealed:
            continue
        found.extend((place, hit) for hit in detect.find(place.text, code=place.code)
                     if hit.status == LEAK and not accepted(fingerprint(hit.secret)))
    return found


def _baseline_for(os_path: str) -> Callable[[str], bool]:
    """Whether the server's baseline (``.xsk-nb-scan-baseline.json`` in the folder it was
    started from, as ``xsk-nb scan`` reads it) accepts a fingerprint in this file."""
    path = Path(baseline.DEFAULT_NAME)
    if not path.is_file():
        return lambda _fingerprint: False
    try:
        accepted = baseline.load(path)
    except baseline.BaselineError:
        return lambda _fingerprint: False
    key = os.path.normcase(os.path.abspath(os_path))
    return lambda fp: (key, fp) in accepted


def _mask(value: Any, secrets_: dict[str, str]) -> Any:
    """``value`` with every secret replaced by its masked label, in every string, any depth."""
    if isinstance(value, str):
        for secret, label in secrets_.items():
            value = value.replace(secret, label)
        return value
    if isinstance(value, list):
        return [_mask(item, secrets_) for item in value]
    if isinstance(value, dict):
        return {key: _mask(item, secrets_) for key, item in value.items()}
    return value


def _is_revealed(output: Any) -> bool:
    mark = (output.get("metadata") or {}).get("xsk_nb") if isinstance(output, dict) else None
    return isinstance(mark, dict) and mark.get("revealed") is True


def guard(notebook: dict[str, Any], accepted: Callable[[str], bool] = lambda _fp: False
          ) -> tuple[dict[str, Any], list[str], int] | str:
    """What to save: ``(notebook, masked places, keys masked)`` (0: save as it is), or the
    refusal message when a cell's source holds a key. Never edits ``notebook`` in place.
    ``accepted``: whether a baseline accepts a secret's fingerprint (then it is left alone)."""
    for place, hit in _leaks(F.notebook_places(notebook), accepted):
        if place.where.endswith(", source"):
            where = place.where.replace(", source", "").capitalize() + "'s source"
            return REFUSED.format(where=where, what=KINDS[hit.kind], label=masked(hit.secret))
    places: dict[str, None] = {}
    secrets_: dict[str, str] = {}
    for place, hit in _leaks(F.notebook_places(notebook), accepted):
        places.setdefault(place.where, None)
        secrets_[hit.secret] = masked(hit.secret)
    if not secrets_:
        return notebook, [], 0
    cells = []
    for cell in notebook.get("cells") or []:
        if not isinstance(cell, dict) or F.ALLOW_COMMENT in F.text_of(cell.get("source", "")):
            cells.append(cell)
            continue
        cell = dict(cell)
        if "outputs" in cell:
            cell["outputs"] = [out if _is_revealed(out) else _mask(out, secrets_)
                               for out in cell["outputs"] or []]
        for name in ("metadata", "attachments"):
            if name in cell:
                cell[name] = _mask(cell[name], secrets_)
        cells.append(cell)
    result = dict(notebook, cells=cells, metadata=_mask(notebook.get("metadata", {}), secrets_))
    return result, list(places), len(secrets_)


def _write_notebook(os_path: str, notebook: dict[str, Any]) -> None:
    """Write ``notebook`` to ``os_path`` atomically, keeping the file's mode."""
    import nbformat

    folder = os.path.dirname(os_path) or "."
    mode = os.stat(os_path).st_mode & 0o777 if os.path.exists(os_path) else None
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".xsk-nb-save-", suffix=".ipynb")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            nbformat.write(nbformat.from_dict(notebook), stream)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, os_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def pre_save_hook(model: dict[str, Any], path: str, contents_manager: Any,
                  **kwargs: Any) -> None:
    """jupyter_server's pre-save hook (called with keywords; see the module's text)."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    from tornado.web import HTTPError

    os_path = contents_manager._get_os_path(path)
    decided = guard(model["content"], _baseline_for(os_path))
    if isinstance(decided, str):
        contents_manager.log.warning("%s", decided)
        raise HTTPError(400, decided)
    notebook, places, count = decided
    if not count:
        return
    message = MASKED.format(count=count, places="; ".join(places))
    _write_notebook(os_path, notebook)
    contents_manager.log.warning("%s: %s", path, message)
    raise HTTPError(400, message)
