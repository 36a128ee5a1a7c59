"""The benchmarks' smoke runs (``bench/*.py --smoke``), started in the background when the
test session starts and checked by tests/test_bench.py, which runs last.

A smoke run is a separate process whose figures nobody reads (it only has to run to the end),
so it need not wait in line: they run beside the rest of the suite, on the core the suite's
one process leaves free most of the time (the site's run alone is about 25 s of Pyodide
starts). tests/conftest.py starts them (:func:`start`) when tests/test_bench.py is selected,
and moves that file's tests to the end of the session.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
#: Each run's name and its command line after ``--smoke`` (the site benchmark's ``--profile``
#: mode is one page load already, so its smoke run is the mode itself).
RUNS: dict[str, tuple[str, ...]] = {
    "bench.py": ("bench.py",),
    "notebooks_bench.py": ("notebooks_bench.py",),
    "browser_bench.py": ("browser_bench.py",),
    "lite_bench.py": ("lite_bench.py",),
    "lite_bench.py --profile": ("lite_bench.py", "--profile"),
}
TIMEOUT_S = 900


class SmokeRun:
    """One benchmark's ``--smoke`` run in the background; its output goes to files (a pipe
    nobody reads yet could fill and stall it)."""

    def __init__(self, name: str, folder: Path) -> None:
        script, *args = RUNS[name]
        stem = name.replace(" ", "_")
        self.out, self.err = folder / f"{stem}.out", folder / f"{stem}.err"
        with self.out.open("w") as out, self.err.open("w") as err:
            self.process = subprocess.Popen(
                [sys.executable, str(BENCH / script), "--smoke", *args],
                stdout=out, stderr=err, text=True, cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )  # fmt: skip

    def finished(self) -> subprocess.CompletedProcess[str]:
        """The run, waited for: its exit code and what it printed."""
        code = self.process.wait(timeout=TIMEOUT_S)
        return subprocess.CompletedProcess(
            self.process.args, code, self.out.read_text(), self.err.read_text()
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


_runs: dict[str, SmokeRun] = {}
_folder: tempfile.TemporaryDirectory[str] | None = None


def start() -> None:
    """Start every smoke run (once a session)."""
    global _folder
    if _runs:
        return
    _folder = tempfile.TemporaryDirectory(prefix="xsk-bench-smoke-")
    for name in RUNS:
        _runs[name] = SmokeRun(name, Path(_folder.name))


def runs() -> dict[str, SmokeRun]:
    """The started runs (started now if the session did not start them, e.g. under -p no:...)."""
    start()
    return _runs


def stop() -> None:
    """Kill what still runs and remove the output files (at the session's end)."""
    global _folder
    for run in _runs.values():
        run.stop()
    _runs.clear()
    if _folder is not None:
        _folder.cleanup()
        _folder = None
