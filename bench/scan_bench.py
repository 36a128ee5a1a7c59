"""``xsk-nb scan`` beside detect-secrets on the planted-leak corpus: recall, false positives,
and speed as a ratio, all in one run.

    .venv/bin/python bench/scan_bench.py            # 10 copies of the corpus, best of 5
    .venv/bin/python bench/scan_bench.py --smoke    # 1 copy, 1 run: that it works (make test)

The corpus (tests/scan/corpus/plant.py) is built fresh in a temporary folder: keys drawn at
build time in every place notebooks hide them, plus decoys (masked placeholders, images,
hashes, UUIDs, ids, published example keys). Both scanners read the same files, one process
each, in this process (detect-secrets with all its default plugins and filters, file by file,
as ``detect-secrets scan --all-files`` does without its process pool).

- recall: planted keys reported (a key in an allowed cell is left out: it is accepted on purpose);
- false positives: reports that are no planted key. xsk-nb lists published example keys apart
  ("never use it"), not as leaks; detect-secrets cannot tell them, so they count against it.

Nothing is asserted and no key is printed: only counts, times and the ratio.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load_plant() -> Any:
    spec = importlib.util.spec_from_file_location(
        "xsk_scan_plant", ROOT / "tests" / "scan" / "corpus" / "plant.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["xsk_scan_plant"] = module
    spec.loader.exec_module(module)
    return module


def build(folder: Path, copies: int) -> list[Any]:
    plant = load_plant()
    plants = []
    for copy in range(copies):
        sub = folder / f"copy{copy:02d}"
        plants += [
            plant.Plant(f"copy{copy:02d}/{p.file}", p.place, p.secret, p.expected)
            for p in plant.build(sub)
        ]
    return plants


def every_file(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def run_xsk(folder: Path) -> list[tuple[str, str]]:
    """(file relative to folder, fingerprint) of every leak or revealed finding."""
    from xsk_nb.scan.scanner import scan

    result = scan([folder], baseline=False, gitignore=False)
    return [
        (str(Path(f.file).relative_to(folder)), f.fingerprint)
        for f in result.findings if f.status != "example"
    ]


def run_detect_secrets(folder: Path, files: list[Path]) -> list[tuple[str, str]]:
    """(file relative to folder, the secret it reported) for every detect-secrets result."""
    from detect_secrets import SecretsCollection
    from detect_secrets.settings import default_settings

    found = []
    with default_settings():
        collection = SecretsCollection(root=str(folder))
        for path in files:
            collection.scan_file(str(path.relative_to(folder)))
        for name, secret in collection:
            found.append((name, secret.secret_value or ""))
    return found


def score_xsk(found: list[tuple[str, str]], plants: list[Any]) -> tuple[int, int, int]:
    from xsk_nb.scan.findings import fingerprint

    wanted = {(p.file, fingerprint(p.secret)) for p in plants if p.expected != "allowed"}
    allowed = {(p.file, fingerprint(p.secret)) for p in plants if p.expected == "allowed"}
    reported = set(found)
    hits = len(wanted & reported)
    false = len(reported - wanted - allowed)
    return hits, len(wanted), false


def score_detect_secrets(found: list[tuple[str, str]], plants: list[Any]) -> tuple[int, int, int]:
    def same(plant: Any, value: str) -> bool:
        inside = len(value) >= 16 and value in plant.secret
        return bool(value) and (plant.secret in value or inside)

    wanted = [p for p in plants if p.expected != "allowed"]
    allowed = [p for p in plants if p.expected == "allowed"]
    hits = sum(any(name == p.file and same(p, value) for name, value in found) for p in wanted)
    false = {(name, value) for name, value in found
             if not any(name == p.file and same(p, value) for p in wanted + allowed)}
    return hits, len(wanted), len(false)


def best_of(repeats: int, run: Any) -> tuple[float, Any]:
    best, value = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        value = run()
        best = min(best, time.perf_counter() - start)
    return best, value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="1 copy, 1 run: that it works")
    args = parser.parse_args(argv)
    copies, repeats = (1, 1) if args.smoke else (10, 5)
    with tempfile.TemporaryDirectory(prefix="xsk-scan-bench-") as temporary:
        folder = Path(temporary)
        plants = build(folder, copies)
        files = every_file(folder)
        run_xsk(folder)  # warm-up: imports, the weak-secret list
        xsk_seconds, xsk_found = best_of(repeats, lambda: run_xsk(folder))
        run_detect_secrets(folder, files[:1])  # warm-up: plugin loading
        ds_seconds, ds_found = best_of(repeats, lambda: run_detect_secrets(folder, files))
    rows = [("xsk-nb scan", score_xsk(xsk_found, plants), xsk_seconds),
            ("detect-secrets 1.5", score_detect_secrets(ds_found, plants), ds_seconds)]
    print(f"corpus: {copies} cop{'y' if copies == 1 else 'ies'}, {len(files)} files, "
          f"{len(plants)} planted keys; best of {repeats} run(s)")
    print(f"{'scanner':<20} {'recall':>12} {'false positives':>16} {'seconds':>9}")
    for name, (hits, total, false), seconds in rows:
        print(f"{name:<20} {f'{hits}/{total}':>12} {false:>16} {seconds:>9.3f}")
    print(f"speed: xsk-nb scan takes {xsk_seconds / ds_seconds:.2f}x detect-secrets' time "
          f"on the same files ({ds_seconds / xsk_seconds:.1f}x faster)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
