"""`make bench`: ratios against baselines run in the same process (never a timed assertion).

Prints, per key size, create_secret_key against the floor
``base64.urlsafe_b64encode(secrets.token_bytes(n)).rstrip(b"=")`` and against joserfc and
jwcrypto; the cold-import cost of ``import xsk_nb`` against ``import secrets, base64, json``;
batch statistics for 10,000 keys against a loop of key_stats; the magic's overhead
(report built, not rendered) against calling the core directly; and the full display of a
report (every mimetype the notebook receives, visual included) against computing its statistics
(issue 10's target: at most 20x), with the modules that first display imports.

Each ratio is printed beside its target. ``--smoke`` runs every benchmark with a handful of
iterations (``make test`` does, through tests/test_bench.py, so a broken benchmark fails the
suite); its figures mean nothing and nothing is asserted about them.

    python bench/bench.py [--smoke]
"""

from __future__ import annotations

import atexit
import base64
import math
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import timeit
from collections.abc import Callable

from xsk_nb import ALLOWED_BITS, create_secret_key

TARGET_GENERATOR_RATIO = 1.3  # issue 1: at most 1.3x token_bytes + base64
TARGET_DISPLAY_RATIO = 20.0  # issue 10: full display at most 20x computing the statistics
TARGET_IMPORT_RATIO = 1.5  # "import xsk_nb stays cheap": 1.26x when issue 3 landed
TARGET_BATCH_SPEEDUP = 10.0  # batch_stats at least 10x a key_stats loop: 17-28x in issue 4
#: The magic's overhead has no target: issue 3 asked for the ratio only.

#: Iteration counts scale by this (``--smoke`` sets it so each benchmark runs a few times).
SCALE = 1.0


def n(count: int) -> int:
    """``count`` iterations, scaled down in a smoke run (at least 1)."""
    return max(1, int(count * SCALE))


def beside(ratio: float, target: float, *, at_most: bool = True) -> str:
    """"meets"/"MISSES" the target, for the line that prints the ratio."""
    met = ratio <= target if at_most else ratio >= target
    word = "at most" if at_most else "at least"
    return f"{'meets' if met else 'MISSES'} the target of {word} {target:g}x"


def per_call(function: Callable[[], object], number: int, repeat: int = 7) -> float:
    """Best-of-``repeat`` seconds per call (the minimum is the least disturbed run)."""
    number, repeat = n(number), max(1, min(repeat, n(repeat)))
    return min(timeit.repeat(function, number=number, repeat=repeat)) / number


def bench_generators() -> None:
    from joserfc.jwk import OctKey
    from jwcrypto.jwk import JWK

    print("Generator cost per key, as a ratio to the floor (lower is better)")
    print(f"{'bits':>6} {'floor µs':>9} {'xsk_nb':>8} {'joserfc':>8} {'jwcrypto':>9}")
    worst = 0.0
    for bits in ALLOWED_BITS:
        n = bits // 8
        floor = per_call(
            lambda n=n: base64.urlsafe_b64encode(secrets.token_bytes(n)).rstrip(b"="), 20_000
        )
        ours = per_call(lambda bits=bits: create_secret_key(bits), 20_000)
        joserfc = per_call(lambda bits=bits: OctKey.generate_key(bits).as_dict(), 2_000)
        jwcrypto = per_call(lambda bits=bits: JWK.generate(kty="oct", size=bits), 2_000)
        worst = max(worst, ours / floor)
        print(
            f"{bits:>6} {floor * 1e6:>9.2f} {ours / floor:>8.2f} {joserfc / floor:>8.2f} "
            f"{jwcrypto / floor:>9.2f}"
        )
    print(f"worst xsk_nb ratio {worst:.2f}: {beside(worst, TARGET_GENERATOR_RATIO)}\n")


def cold_import_seconds(statement: str, runs: int = 15) -> float:
    code = "import time; t = time.perf_counter(); " + statement + "; print(time.perf_counter() - t)"
    times = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(n(runs))
    ]
    return statistics.median(times)


def bench_import() -> None:
    baseline = cold_import_seconds("import secrets, base64, json")
    ours = cold_import_seconds("import xsk_nb")
    heavy = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, xsk_nb; print(sorted({m.split('.')[0] for m in "
            "sys.modules} & {'IPython', 'ipywidgets', 'numpy', 'scipy', 'matplotlib', 'joserfc'}))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"Cold import, median of {n(15)} fresh interpreters")
    print(
        f"import secrets, base64, json: {baseline * 1e3:.2f} ms; import xsk_nb: "
        f"{ours * 1e3:.2f} ms; ratio {ours / baseline:.2f}: "
        f"{beside(ours / baseline, TARGET_IMPORT_RATIO)}; heavy modules loaded: {heavy}\n"
    )


def bench_batch() -> None:
    from xsk_nb.batch import batch_stats, random_key_matrix
    from xsk_nb.stats import key_stats

    print(f"Statistics: batch_stats on {n(10_000):,} keys vs a loop of key_stats (per key)")
    slowest = math.inf
    for bits in ALLOWED_BITS:
        keys = random_key_matrix(n(10_000), bits)
        batch = per_call(lambda keys=keys: batch_stats(keys), 1, repeat=3) / len(keys)
        sample = [bytes(row) for row in keys[: n(300)]]
        loop = per_call(lambda sample=sample: [key_stats(k) for k in sample], 1, repeat=3)
        loop /= len(sample)
        slowest = min(slowest, loop / batch)
        print(
            f"{bits:>6} bits: loop {loop * 1e6:8.1f} µs/key, batch {batch * 1e6:6.1f} µs/key, "
            f"batch is {loop / batch:5.1f}x faster"
        )
    print(
        f"smallest speed-up {slowest:.1f}x: "
        f"{beside(slowest, TARGET_BATCH_SPEEDUP, at_most=False)}\n"
    )


def bench_magic() -> None:
    scratch = tempfile.mkdtemp(prefix="xsk-bench-ipython-")
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)  # after IPython's own handlers
    os.environ.setdefault("IPYTHONDIR", scratch)
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "xsk_nb")
    core = per_call(lambda: create_secret_key(2048), 5_000)
    magic = per_call(lambda: shell.run_line_magic("xs_secret_key", "-o --bits 2048"), 1_000)
    print(
        "Magic overhead: %xs_secret_key -o --bits 2048 (report and its statistics built inside "
        "the magic, so that an error there is caught with the key in scope; not rendered)"
    )
    print(
        f"core {core * 1e6:.2f} µs; magic {magic * 1e6:.1f} µs; ratio {magic / core:.1f} "
        "(no target set: issue 3 asked for the ratio only)\n"
    )


def bench_report_display() -> None:
    from xsk_nb.report import KeyReport
    from xsk_nb.stats import key_stats

    print("Report display: every mimetype of a new report (statistics included) vs key_stats")
    worst = 0.0
    for bits in ALLOWED_BITS:
        jwk = create_secret_key(bits)
        stats = per_call(lambda jwk=jwk: key_stats(jwk), 200)
        render = per_call(lambda jwk=jwk: KeyReport(jwk)._repr_mimebundle_(), 200)
        ratio = render / stats
        worst = max(worst, ratio)
        print(
            f"{bits:>6} bits: key_stats {stats * 1e6:7.1f} µs; full display {render * 1e6:7.1f} µs;"
            f" ratio {ratio:5.2f} (rendering alone {(render - stats) / stats:5.2f})"
        )
    code = (
        "import sys; from xsk_nb.report import KeyReport; r = KeyReport.generate(512); r.stats; "
        "before = set(sys.modules); r._repr_mimebundle_(); "
        "print(sorted({m.split('.')[0] for m in set(sys.modules) - before} "
        "- set(sys.stdlib_module_names) - {'xsk_nb'}))"
    )
    imported = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    print(f"worst ratio {worst:.2f}: {beside(worst, TARGET_DISPLAY_RATIO)}; "
          f"non-stdlib modules imported by the first display: {imported}\n")  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    import argparse

    global SCALE
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a few iterations, to check it runs")
    if parser.parse_args(argv).smoke:
        SCALE = 0.001
        print("smoke run: a few iterations each; the figures below mean nothing\n")
    bench_generators()
    bench_import()
    bench_batch()
    bench_magic()
    bench_report_display()


if __name__ == "__main__":
    main()
