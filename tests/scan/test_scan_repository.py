"""The kit's own files pass its scanner, and its pre-commit hook says what the scanner reads."""

from __future__ import annotations

import json
import re
from pathlib import Path

import xsk_nb
from xsk_nb.scan import baseline, files
from xsk_nb.scan.findings import EXAMPLE

ROOT = Path(__file__).resolve().parents[2]


def test_the_lessons_docs_and_tests_hold_no_leak(monkeypatch: object) -> None:
    result = xsk_nb.scan([ROOT / name for name in ("notebooks", "solutions", "docs", "tests")],
                         baseline=ROOT / baseline.DEFAULT_NAME)
    leaks = [f"{f.file}: {f.where}: {f.kind}" for f in result.findings if f.status != EXAMPLE]
    assert leaks == [], "add an allow comment or a baseline entry with its reason"
    assert result.problems == []
    assert result.examples  # the RFC's and Xano's published keys, in tests and decoys


def test_every_baseline_entry_says_why() -> None:
    entries = json.loads((ROOT / baseline.DEFAULT_NAME).read_text(encoding="utf-8"))["accepted"]
    assert entries and all(len(entry["reason"]) > 20 for entry in entries)


def test_the_hook_reads_the_files_the_scanner_reads() -> None:
    import yaml

    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "xsk-nb-scan" and hook["entry"] == "xsk-nb scan"
    pattern = re.compile(hook["files"])
    names = [f"a/b{suffix}" for suffix in files.SUFFIXES] + [".env", "app/.env.local"]
    for name in names:
        assert pattern.search(name) and files.wanted(Path(name)), name
    for name in ("a.png", "setup.cfg", "environment.yml", ".envrc"):
        assert not pattern.search(name) and not files.wanted(Path(name)), name


def test_the_guide_gives_the_save_guards_config_line_and_the_hook_id() -> None:
    from xsk_nb.scan import save_guard

    guide = (ROOT / "docs" / "scan.md").read_text(encoding="utf-8")
    assert save_guard.CONFIG_LINE in guide and "id: xsk-nb-scan" in guide
    assert "a published example key: never use it" in guide
