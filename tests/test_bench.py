"""Every benchmark of bench/ runs to the end in its smoke mode (a handful of iterations).

No figure is asserted (a test never times anything): a benchmark that fails to run, because a
name it uses moved or a helper changed, fails here instead of at the next ``make bench``.
Each line that prints a ratio against a target says "meets" or "MISSES" that target.

The runs start in the background when the session starts, and these tests run last
(tests/bench_smoke.py says why).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import bench_smoke
import pytest

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = os.environ.get("XSK_REQUIRE_BROWSER", "") == "1"  # as the browser tests read it
Runs = dict[str, bench_smoke.SmokeRun]


@pytest.fixture(scope="module")
def smoke() -> Runs:
    """Every benchmark's smoke run, started when the session started (tests/bench_smoke.py)."""
    return bench_smoke.runs()


def finished(smoke: Runs, script: str) -> subprocess.CompletedProcess[str]:
    done = smoke[script].finished()
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    return done


def verdicts(out: str) -> list[str]:
    return [line for line in out.splitlines() if "the target of" in line]


def test_the_core_benchmarks_run_and_say_each_target(smoke: Runs) -> None:
    done = finished(smoke, "bench.py")
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("smoke run:")
    lines = verdicts(done.stdout)
    assert len(lines) == 4, done.stdout  # generator, import, batch, display
    assert all(("meets" in line) != ("MISSES" in line) for line in lines)
    assert "no target set" in done.stdout  # the magic's overhead: a ratio only


def test_the_notebooks_benchmark_runs(smoke: Runs) -> None:
    done = finished(smoke, "notebooks_bench.py")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "all notebooks" in done.stdout and len(verdicts(done.stdout)) == 1


def test_the_browser_benchmark_runs(smoke: Runs) -> None:
    done = finished(smoke, "browser_bench.py")
    if "browser bench skipped" in done.stdout and not REQUIRED:
        pytest.skip(done.stdout.strip())
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert len(verdicts(done.stdout)) == 2, done.stdout  # Voilà's first and later clicks


def test_the_site_benchmark_runs(smoke: Runs) -> None:
    if not (ROOT / "site" / "index.html").is_file() and not REQUIRED:
        pytest.skip("no site/: make lite builds it (make test does, first)")
    done = finished(smoke, "lite_bench.py")
    if "no Chromium" in done.stderr and not REQUIRED:
        pytest.skip("no Chromium for the site benchmark")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert "page load -> first key" in done.stdout and "target <= 15 s" in done.stdout
