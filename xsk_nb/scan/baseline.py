"""The baseline file: findings accepted on purpose, as detect-secrets' ``.secrets.baseline``.

A JSON file, by default ``.xsk-nb-scan-baseline.json`` in the current folder::

    {"version": 1,
     "accepted": [{"file": "notebooks/04.ipynb", "kind": "token",
                   "fingerprint": "<sha256 of the secret>", "reason": "why it may stay"}]}

``file`` is relative to the baseline's folder. A finding is accepted when its file and
fingerprint match an entry. No secret is stored, only its SHA-256 (see
:mod:`xsk_nb.scan.findings` for what a fingerprint can and cannot tell).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from xsk_nb.scan.findings import Finding

DEFAULT_NAME = ".xsk-nb-scan-baseline.json"
VERSION = 1


class BaselineError(ValueError):
    """A baseline file that cannot be used; the message is one sentence."""


def _key(path: str | Path, fingerprint: str) -> tuple[str, str]:
    return (os.path.normcase(os.path.abspath(path)), fingerprint)


def load(path: Path) -> set[tuple[str, str]]:
    """The accepted (file, fingerprint) pairs of a baseline file, files made absolute."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BaselineError(f"cannot read the baseline {path}: {error.strerror}") from None
    except ValueError:
        raise BaselineError(f"the baseline {path} is not JSON") from None
    entries = data.get("accepted") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("file"), str)
        and isinstance(e.get("fingerprint"), str) for e in entries
    ):
        raise BaselineError(
            f'the baseline {path} must be {{"version": 1, "accepted": [{{"file": ..., '
            f'"fingerprint": ..., "reason": ...}}]}}'
        )
    return {_key(path.parent / e["file"], e["fingerprint"]) for e in entries}


def accepts(accepted: set[tuple[str, str]], finding: Finding) -> bool:
    return _key(finding.file, finding.fingerprint) in accepted


def render(findings: Iterable[Finding], baseline_path: Path) -> str:
    """A baseline accepting ``findings`` (reasons left empty for you to write), as JSON text."""
    base = baseline_path.resolve().parent
    entries = []
    for finding in findings:
        relative = os.path.relpath(os.path.abspath(finding.file), base)
        entries.append({"file": Path(relative).as_posix(), "kind": finding.kind,
                        "where": finding.where, "fingerprint": finding.fingerprint,
                        "reason": ""})
    return json.dumps({"version": VERSION, "accepted": entries}, indent=2) + "\n"
