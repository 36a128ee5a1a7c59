"""Benchmarks of the browser-only site (issue 11): build time, size, first visit, first key.

    python bench/lite_bench.py          # `make bench` runs it; needs `make lite`'s tools

- build time: ``lite/build.py`` into a temporary folder, with the download cache warm (as in CI
  after the first run);
- site size: every file of ``site/``;
- first visit: bytes a new visitor's browser downloads to open lesson 1 and make a key (the
  file bytes the local server sent to a fresh profile, page and kernel worker together);
- first key: page load -> an idle kernel -> ``create_secret_key(512)`` answered, in Chromium with
  only 127.0.0.1 reachable (the kernel's boot is almost all of it).

Targets on this machine (issue 11): site <= 50 MB, first visit <= 30 MB, first key <= 15 s.
No assertion here: this prints; the tests in tests/lite/ check behaviour.

    python bench/lite_bench.py [--smoke]

``--smoke`` (tests/test_bench.py, inside ``make test``) skips the build and measures the
built site once, to check the benchmark runs.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "lite"))
sys.path.insert(0, str(REPO / "lite"))

import litepage  # noqa: E402
import serve  # noqa: E402

LITE_PYTHON = REPO / ".lite-cache" / "venv" / "bin" / "python"
MB = 1_000_000
TARGETS = {"site": 50 * MB, "first_visit": 30 * MB, "first_key_s": 15.0}

_FIRST_KEY_PY = "import xsk_nb; print(len(xsk_nb.create_secret_key(512)['k']))"


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def build_seconds() -> float | None:
    if not LITE_PYTHON.is_file():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        done = subprocess.run([str(LITE_PYTHON), str(REPO / "lite" / "build.py"), "--output",
                               str(Path(tmp) / "site")], capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"lite/build.py failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        return time.monotonic() - started


def first_visit() -> tuple[int, float, int]:
    """(bytes downloaded, seconds to the first key, foreign requests) for a brand-new visitor."""
    chromium = litepage.chromium_path()
    if chromium is None:
        raise SystemExit("no Chromium: apt-get install chromium")
    with serve.serving() as server, litepage.browser(chromium) as browser:
        guard = litepage.NetworkGuard(server.base_url)
        context = litepage.guarded_context(browser, guard)
        page = context.new_page()
        server.bytes_sent = 0
        started = time.monotonic()
        page.goto(f"{server.base_url}/lab/index.html?path={litepage.lessons()[0]}")
        page.wait_for_function(litepage.LAB_READY_JS, timeout=litepage.KERNEL_TIMEOUT_MS,
                               polling=100)
        answer = page.evaluate(litepage._KERNEL_EXEC_JS, _FIRST_KEY_PY).strip()
        first_key_s = time.monotonic() - started
        if answer != "86":
            raise SystemExit(f"the first key did not come: {answer[:200]}")
        downloaded = server.bytes_sent
        context.close()
        return downloaded, first_key_s, len(guard.foreign)


def line(name: str, value: str, target: str = "") -> None:
    print(f"  {name:<34} {value:>12}  {target}")


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="no build; one visit")
    smoke = parser.parse_args(argv).smoke
    print("browser-only site (make lite)" + (": smoke run, no build" if smoke else ""))
    seconds = None if smoke else build_seconds()
    line("build time (download cache warm)", "n/a" if seconds is None else f"{seconds:.1f} s")
    if not (litepage.SITE / "index.html").is_file():
        raise SystemExit("no site/: run `make lite` first")
    size = folder_bytes(litepage.SITE)
    line("site size", f"{size / MB:.1f} MB", f"target <= {TARGETS['site'] / MB:.0f} MB")
    downloaded, first_key_s, foreign = first_visit()
    line("first visit downloads", f"{downloaded / MB:.1f} MB",
         f"target <= {TARGETS['first_visit'] / MB:.0f} MB")
    line("page load -> first key", f"{first_key_s:.1f} s",
         f"target <= {TARGETS['first_key_s']:.0f} s")
    line("requests beyond 127.0.0.1", str(foreign), "target 0")


if __name__ == "__main__":
    main()
