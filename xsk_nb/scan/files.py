"""Which files the scanner reads, and how each is cut into places (a cell, an output, a file).

A notebook is read as a notebook (its JSON, not its lines): every cell's source, every output
of every MIME type except images (text, HTML, JSON, streams, error tracebacks), attachments,
cell and notebook metadata, and saved widget state. Other files are read as text.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xsk_nb.scan.findings import ALLOW_COMMENT

#: File name endings read when a folder is scanned (a file named on the command line is read
#: whatever its name). One home: .pre-commit-hooks.yaml's `files` pattern is checked against it.
SUFFIXES: tuple[str, ...] = (
    ".ipynb", ".env", ".json", ".jwk", ".jwks", ".py", ".xs", ".md", ".txt"
)
#: Dotenv files by name: .env, .env.local, .env.production ...
DOTENV_PREFIX = ".env"
#: Folders never walked (tool caches); .ipynb_checkpoints is walked: it holds notebook copies.
SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "node_modules", "__pycache__",
                          ".pytest_cache", ".ruff_cache", ".mypy_cache", ".tox"})
#: Files larger than this are skipped with a sentence (a notebook of 20 MB is images).
MAX_BYTES = 20 * 1024 * 1024
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


@dataclass(frozen=True)
class Place:
    """One piece of text to search, and where it is."""

    where: str
    text: str
    revealed: bool = False
    allowed: bool = False
    dotenv: bool = False
    code: bool = False  # Python source: a code cell, a .py file
    #: For a text file: the offset of each line start, to name lines and allow comments.
    line_starts: tuple[int, ...] | None = None


def is_dotenv(path: Path) -> bool:
    return path.name == DOTENV_PREFIX or path.name.startswith(DOTENV_PREFIX + ".") or (
        path.suffix == ".env"
    )


def wanted(path: Path) -> bool:
    return is_dotenv(path) or path.suffix.lower() in SUFFIXES


def _git_files(folder: Path) -> list[Path] | None:
    """The files git would consider in ``folder`` (tracked, and untracked not ignored), or
    None when ``folder`` is not in a git work tree or git is missing. Git itself applies
    every .gitignore, .git/info/exclude and core.excludesFile rule."""
    try:
        import subprocess  # here: a browser-only kernel (Pyodide) may have no processes
    except ImportError:
        return None
    try:
        listed = subprocess.run(
            ["git", "-C", str(folder), "ls-files", "-z", "--cached", "--others",
             "--exclude-standard", "--", "."],
            capture_output=True, check=True, timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError, RuntimeError, NotImplementedError):
        return None  # no git, not a work tree, or no processes at all: walk every file
    names = dict.fromkeys(name for name in listed.decode("utf-8", "replace").split("\0") if name)
    return [folder / name for name in names]


def walk(folder: Path, *, gitignore: bool = True) -> Iterator[Path]:
    """The files of ``folder`` the scanner reads, sorted; .gitignore honoured inside git."""
    listed = _git_files(folder) if gitignore else None
    if listed is not None:
        for path in sorted(listed):
            if wanted(path) and path.is_file() and not path.is_symlink():
                yield path
        return
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for name in sorted(files):
            path = Path(root) / name
            if wanted(path) and not path.is_symlink():
                yield path


def text_of(value: Any) -> str:
    """A notebook field as text: a string, a list of lines, or JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "".join(value)
    return json.dumps(value, ensure_ascii=False)


def _allowed(source: str) -> bool:
    return ALLOW_COMMENT in source


def _output_places(number: int, outputs: list[Any], allowed: bool) -> Iterator[Place]:
    for index, output in enumerate(outputs, 1):
        if not isinstance(output, dict):
            continue
        metadata = output.get("metadata")
        mark = metadata.get("xsk_nb") if isinstance(metadata, dict) else None
        revealed = isinstance(mark, dict) and mark.get("revealed") is True
        kind = output.get("output_type")
        where = f"cell {number}, output {index}"
        if kind == "stream":
            name = output.get("name", "stream")
            yield Place(f"{where} ({name})", text_of(output.get("text", "")), revealed, allowed)
        elif kind == "error":
            text = "\n".join(
                [text_of(output.get("evalue", "")), *map(text_of, output.get("traceback", []))]
            )
            yield Place(f"{where} (error)", text, revealed, allowed)
        elif isinstance(output.get("data"), dict):
            for mime, value in output["data"].items():
                if str(mime).startswith("image/") and mime != "image/svg+xml":
                    continue  # base64 image data: not text, never a key
                yield Place(f"{where} ({mime})", text_of(value), revealed, allowed)
        if isinstance(metadata, dict) and metadata:
            yield Place(f"{where} (metadata)", text_of(metadata), revealed, allowed)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def notebook_places(notebook: dict[str, Any]) -> Iterator[Place]:
    """Every place of a parsed notebook, in order (fields of a wrong type are skipped: a
    hand-edited notebook is read as far as it can be, never with a traceback)."""
    for number, cell in enumerate(_as_list(notebook.get("cells")), 1):
        if not isinstance(cell, dict):
            continue
        source = text_of(cell.get("source", ""))
        allowed = _allowed(source)
        yield Place(f"cell {number}, source", source, allowed=allowed,
                    code=cell.get("cell_type") == "code")
        yield from _output_places(number, _as_list(cell.get("outputs")), allowed)
        for name, bundle in _as_dict(cell.get("attachments")).items():
            for mime, value in _as_dict(bundle).items():
                if not str(mime).startswith("image/"):
                    yield Place(f"cell {number}, attachment {name} ({mime})", text_of(value),
                                allowed=allowed)
        if cell.get("metadata"):
            yield Place(f"cell {number}, metadata", text_of(cell["metadata"]), allowed=allowed)
    metadata = dict(_as_dict(notebook.get("metadata")))
    widgets = metadata.pop("widgets", None)
    if widgets:
        yield Place("saved widget state", text_of(widgets))
    if metadata:
        yield Place("notebook metadata", text_of(metadata))


def text_place(text: str, *, dotenv: bool, code: bool = False) -> Place:
    starts = [0]
    starts.extend(i + 1 for i, char in enumerate(text) if char == "\n")
    return Place("", text, dotenv=dotenv, code=code, line_starts=tuple(starts))


def parse_notebook(text: str) -> dict[str, Any] | None:
    """The notebook's JSON, or None when the file is not a notebook (then read as text)."""
    try:
        notebook = json.loads(text)
    except ValueError:
        return None
    return notebook if isinstance(notebook, dict) and "cells" in notebook else None
