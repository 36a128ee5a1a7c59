"""``bench/scan_bench.py --smoke`` runs (make test runs it; no figure is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_scan_benchmark_runs_in_smoke_mode() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "scan_bench.py"), "--smoke"],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines[2:4]] == ["xsk-nb", "detect-secrets"]
    assert lines[-1].startswith("speed: xsk-nb scan takes ")
