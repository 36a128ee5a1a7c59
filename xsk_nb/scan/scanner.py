"""``scan(paths)``: read files and folders, and return the findings (never the secrets)."""

from __future__ import annotations

import bisect
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from xsk_nb.masking import masked
from xsk_nb.scan import baseline as baseline_file
from xsk_nb.scan import detect
from xsk_nb.scan import files as F
from xsk_nb.scan.findings import ALLOW_COMMENT, EXAMPLE, LEAK, REVEALED, Finding, fingerprint


@dataclass
class ScanResult:
    """What a scan found. ``findings`` holds leaks, revealed outputs and published examples;
    findings accepted by an allow comment or the baseline are only counted."""

    findings: list[Finding] = field(default_factory=list)
    #: One sentence per file that could not be read.
    problems: list[str] = field(default_factory=list)
    files_scanned: int = 0
    allowed: int = 0
    baselined: int = 0

    def by_status(self, status: str) -> list[Finding]:
        return [finding for finding in self.findings if finding.status == status]

    @property
    def leaks(self) -> list[Finding]:
        return self.by_status(LEAK)

    @property
    def revealed(self) -> list[Finding]:
        return self.by_status(REVEALED)

    @property
    def examples(self) -> list[Finding]:
        return self.by_status(EXAMPLE)


def _line_of(raw: str, secret: str) -> int:
    position = raw.find(secret)
    return raw.count("\n", 0, position) + 1 if position >= 0 else 1


def scan_text(
    text: str, *, name: str = "<text>", notebook: bool | None = None, dotenv: bool = False,
    code: bool = False, result: ScanResult | None = None,
) -> ScanResult:
    """Scan one text as the file ``name`` would be: ``notebook`` True (a .ipynb: read as text,
    with a sentence, if it does not parse), False (text), None (a notebook if it parses).
    Used by :func:`scan`, the save guard and the magic."""
    result = result if result is not None else ScanResult()
    parsed = F.parse_notebook(text) if notebook is not False else None
    if parsed is not None:
        places: Iterable[F.Place] = F.notebook_places(parsed)
    else:
        if notebook:
            result.problems.append(f"{name}: not a valid notebook (JSON); read as text")
        places = [F.text_place(text, dotenv=dotenv, code=code)]
    result.files_scanned += 1
    for place in places:
        for hit in detect.find(place.text, dotenv=place.dotenv, code=place.code):
            where, allowed = place.where, place.allowed
            if place.line_starts is not None:
                index = bisect.bisect_right(place.line_starts, hit.start) - 1
                start = place.line_starts[index]
                end = text.find("\n", start)
                allowed = ALLOW_COMMENT in text[start : end if end >= 0 else len(text)]
                where = f"line {index + 1}"
                line = index + 1
            else:
                line = _line_of(text, hit.secret)
            if allowed:
                result.allowed += 1
                continue
            status = REVEALED if place.revealed and hit.status == LEAK else hit.status
            result.findings.append(
                Finding(name, where, line, hit.kind, hit.detail, masked(hit.secret),
                        fingerprint(hit.secret), status)
            )
    return result


def _reason(error: OSError) -> str:
    return (error.strerror or type(error).__name__).lower()


def iter_files(paths: Iterable[str | os.PathLike[str]], *, gitignore: bool = True,
               problems: list[str]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from F.walk(path, gitignore=gitignore)
        elif path.is_file() or path.exists():
            yield path
        else:
            problems.append(f"{path}: no such file or folder")


def scan(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str] = (".",), *,
         baseline: str | os.PathLike[str] | bool | None = None,
         gitignore: bool = True) -> ScanResult:
    """Scan files and folders (recursively; .gitignore honoured in a git work tree) and
    return a :class:`ScanResult`. ``baseline``: a baseline file of accepted findings
    (:mod:`xsk_nb.scan.baseline`); by default (None) ``.xsk-nb-scan-baseline.json`` in the
    current folder when it exists; False: none. Raises ``ValueError`` for an unusable
    baseline, ``TypeError`` for a wrong argument type.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = list(paths)
    if not all(isinstance(path, (str, os.PathLike)) for path in paths):
        raise TypeError("paths must be a file or folder path, or a list of them")
    if isinstance(baseline, bool):
        if baseline:
            raise TypeError("baseline must be a file path, None (the default file) or False")
        baseline = None
    elif baseline is None and Path(baseline_file.DEFAULT_NAME).is_file():
        baseline = baseline_file.DEFAULT_NAME
    accepted = baseline_file.load(Path(baseline)) if baseline is not None else set()
    result = ScanResult()
    for path in iter_files(paths, gitignore=gitignore, problems=result.problems):
        try:
            if path.stat().st_size > F.MAX_BYTES:
                result.problems.append(
                    f"{path}: skipped, larger than {F.MAX_BYTES // (1024 * 1024)} MB"
                )
                continue
            data = path.read_bytes()
        except OSError as error:
            result.problems.append(f"{path}: cannot be read ({_reason(error)})")
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            result.problems.append(f"{path}: skipped, not UTF-8 text")
            continue
        before = len(result.findings)
        notebook = path.suffix == ".ipynb"
        scan_text(text, name=str(path), notebook=notebook,
                  dotenv=F.is_dotenv(path), code=path.suffix == ".py", result=result)
        if accepted:
            kept = [f for f in result.findings[before:] if not baseline_file.accepts(accepted, f)]
            result.baselined += len(result.findings) - before - len(kept)
            del result.findings[before:]
            result.findings.extend(kept)
    return result
