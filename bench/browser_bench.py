"""Time from a click on the panel's Generate button to the rendered report, in a real browser.

Runs notebook 1 in JupyterLab and the panel notebook in Voilà (each from a temporary copy of
notebooks/), clicks Generate N times per key size, and prints the median (and range) of the
time from the click event to the new, complete report card in the page (its visual is part of
the card's HTML), both read from the page's own clock (performance.now()).

For Voilà it also opens the app ``--first`` times (each a fresh page and kernel) and times the
first Generate of each, against issue 10's targets: first Generate to complete card at most
300 ms median, later clicks at most 100 ms. Not a test: it prints whether each target is met.

    .venv/bin/python bench/browser_bench.py [--clicks N] [--first N] [--only lab|voila] [--smoke]

``--smoke`` (tests/test_bench.py, inside ``make test``): Voilà only, one fresh page, one timed
click at 512 bits, to check the benchmark runs; its figures mean nothing.

Needs Debian's Chromium (apt-get install chromium) or XSK_CHROMIUM; without it, it says so and
exits 0, unless XSK_REQUIRE_BROWSER=1 (exit 1).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))

import harness

if TYPE_CHECKING:
    from playwright.sync_api import Page


def measure(page: Page, bits_list: tuple[int, ...], clicks: int) -> dict[int, list[float]]:
    """Click-to-report times in ms, ``clicks`` per key size, after one warm-up click each."""
    times: dict[int, list[float]] = {}
    for bits in bits_list:
        harness.choose_bits(page, bits)
        harness.click_generate(page)  # warm-up: first imports and first plot of this size
        harness.wait_generate_done(page)
        times[bits] = []
        for _ in range(clicks):
            times[bits].append(harness.click_generate(page))
            harness.wait_generate_done(page)  # start each click from a quiet panel
    return times


TARGET_FIRST_MS = 300.0
TARGET_LATER_MS = 100.0


def voila_first_clicks(chromium: harness.Chromium, server: harness.Server, loads: int) -> None:
    """The first Generate of ``loads`` fresh app pages (each with its own kernel), then the
    later clicks of the last page, against issue 10's targets."""
    firsts: list[float] = []
    later: list[float] = []
    for load in range(loads):
        page = harness.new_page(chromium)
        try:
            harness.open_voila(page, server)
            firsts.append(harness.click_generate(page))
            harness.wait_generate_done(page)
            if load == loads - 1:
                for _ in range(7):
                    later.append(harness.click_generate(page))
                    harness.wait_generate_done(page)
        finally:
            page.context.close()
    first, rest = statistics.median(firsts), statistics.median(later)
    print(
        f"  Voilà, first Generate of {loads} fresh pages: median {first:.1f} ms "
        f"(min {min(firsts):.1f}, max {max(firsts):.1f}): "
        f"{'meets' if first <= TARGET_FIRST_MS else 'MISSES'} the target of at most "
        f"{TARGET_FIRST_MS:g} ms"
    )
    print(
        f"  Voilà, later clicks (2048 bits, n={len(later)}): median {rest:.1f} ms: "
        f"{'meets' if rest <= TARGET_LATER_MS else 'MISSES'} the target of at most "
        f"{TARGET_LATER_MS:g} ms"
    )


def run(
    name: str,
    start: Callable[[Path, Path], harness.Server],
    open_page: Callable[[Page, harness.Server], None],
    chromium: harness.Chromium,
    bits_list: tuple[int, ...],
    clicks: int,
    notebooks: Path,
    first_loads: int = 0,
) -> None:
    with tempfile.TemporaryDirectory(prefix=f"xsk-bench-{name}-") as tmp:
        home = Path(tmp)
        root = harness.copy_notebooks(home / "notebooks", notebooks)
        started = time.perf_counter()
        server = start(root, home)
        page = harness.new_page(chromium)
        try:
            if first_loads:  # before anything else warms the server up
                print(f"{name}:")
                voila_first_clicks(chromium, server, first_loads)
            open_page(page, server)
            ready_s = time.perf_counter() - started
            times = measure(page, bits_list, clicks)
        finally:
            page.context.close()
            server.stop()
    print(f"{name}: server start to panel ready {ready_s:.1f} s")
    for bits, values in times.items():
        median = statistics.median(values)
        print(
            f"  {bits:>4} bits: click to rendered report, median {median:6.1f} ms"
            f"  (min {min(values):.1f}, max {max(values):.1f}, n={len(values)})"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clicks", type=int, default=7, help="timed clicks per key size (7)")
    parser.add_argument(
        "--first", type=int, default=5, help="fresh Voilà pages whose first click is timed (5)"
    )
    parser.add_argument("--only", choices=("lab", "voila"), help="measure one front end only")
    parser.add_argument(
        "--smoke", action="store_true", help="Voilà, one page, one click: check that it runs"
    )
    parser.add_argument(
        "--notebooks", type=Path, default=harness.NOTEBOOKS, help="folder to serve (notebooks/)"
    )
    args = parser.parse_args(argv)
    bits_list = harness.ALLOWED_BITS
    if args.smoke:
        args.clicks, args.first, args.only, bits_list = 1, 1, "voila", (512,)
        print("smoke run: Voilà, one page, one click; the figures below mean nothing")
    executable = harness.find_chromium()
    if executable is None:
        print(f"browser bench skipped: {harness.HOW_TO_ENABLE}")
        return 1 if harness.browser_required() else 0

    targets = {
        "JupyterLab": (
            lambda root, home: harness.start_lab(root, home),
            harness.open_lab_and_run_all,
        ),
        "Voila": (
            lambda root, home: harness.start_voila(root / harness.VOILA_NOTEBOOK, home),
            harness.open_voila,
        ),
    }
    if args.only:
        targets = {k: v for k, v in targets.items() if k.lower().startswith(args.only)}
    print(f"Chromium {executable}; {args.clicks} timed clicks per key size after one warm-up")
    with (
        tempfile.TemporaryDirectory(prefix="xsk-bench-chromium-") as profile_dir,
        harness.chromium_session(executable, Path(profile_dir) / "profile") as chromium,
    ):
        for name, (start, open_page) in targets.items():
            first = args.first if name == "Voila" else 0
            run(
                name,
                start,
                open_page,
                chromium,
                bits_list,
                args.clicks,
                args.notebooks,
                first,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
