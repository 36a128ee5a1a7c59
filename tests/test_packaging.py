"""Packaging a user can trust: the LICENSE matches pyproject, the version has one source."""

from __future__ import annotations

import re
from importlib.metadata import metadata, version
from pathlib import Path

import xsk_nb

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: repo2docker (a dev dependency) brings tomli
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_license_file_is_the_mit_license_pyproject_declares() -> None:
    text = (ROOT / "LICENSE").read_text()
    assert pyproject()["project"]["license"] == "MIT"
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in text
    author = pyproject()["project"]["authors"][0]["name"]
    assert re.search(rf"Copyright \(c\) \d{{4}} {re.escape(author)}", text)


def test_version_is_single_sourced_from_the_package() -> None:
    project = pyproject()
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["hatch"]["version"]["path"] == "xsk_nb/__init__.py"
    # The installed metadata (built by hatchling from that path) agrees with the module.
    assert version("xsk-nb") == xsk_nb.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", xsk_nb.__version__)


def test_installed_metadata_carries_the_license_and_urls() -> None:
    meta = metadata("xsk-nb")
    assert meta["License-Expression"] == "MIT" or meta["License"] == "MIT"
    urls = {value.split(",", 1)[0].strip().lower() for value in meta.get_all("Project-URL") or []}
    assert {"homepage", "source", "issues", "changelog", "binder"} <= urls
