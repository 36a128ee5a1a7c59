"""The benchmarks' smoke runs (``bench/*.py --smoke``), started in the background when the
test session starts and checked by tests/test_bench.py, which runs last.

A smoke run is a separate process whose figures nobody reads (it only has to run to the end),
so it need not wait in line: the four run beside the rest of the suite, on the core the suite's
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
SCRIPTS = ("bench.py", "notebooks_bench.py", "browser_bench.py", "lite_bench.py")
TIMEOUT_S = 900


class SmokeRun:
    """One benchmark's ``--smoke`` run in the background; its output goes to files (a pipe
    nobody reads yet could fill and stall it)."""

    def __init__(self, script: str, folder: Path) -> None:
        self.out, self.err = folder / f"{script}.out", folder / f"{script}.err"
        with self.out.open("w") as out, self.err.open("w") as err:
            self.process = subprocess.Popen(
                [sys.executable, str(BENCH / script), "--smoke"],
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
    for script in SCRIPTS:
        _runs[script] = SmokeRun(script, Path(_folder.name))


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
