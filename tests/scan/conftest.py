"""Shared set-up for the scanner's tests: the planted-leak corpus, built fresh per session."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

#: The corpus is data, not tests: `make test`'s nbval must not run its notebooks.
collect_ignore_glob = ["corpus/*"]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def load_plant() -> Any:
    """tests/scan/corpus/plant.py as a module (it is shared with bench/scan_bench.py)."""
    if "xsk_scan_plant" in sys.modules:
        return sys.modules["xsk_scan_plant"]
    spec = importlib.util.spec_from_file_location("xsk_scan_plant", HERE / "corpus" / "plant.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["xsk_scan_plant"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Any]]:
    """(folder, plants): the corpus with freshly drawn keys."""
    folder = tmp_path_factory.mktemp("scan-corpus") / "corpus"
    return folder, load_plant().build(folder)
