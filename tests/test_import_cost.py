"""`import xsk_nb` stays cheap: no Jupyter, numpy, scipy, plotting or JOSE module is loaded."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = [
    "IPython",
    "ipywidgets",
    "ipykernel",
    "traitlets",
    "numpy",
    "scipy",
    "matplotlib",
    "joserfc",
    "jwcrypto",
    "cryptography",
    "lark",
    "dotenv",
    "nbformat",
]


def modules_loaded_by(statement: str) -> set[str]:
    code = f"import sys; {statement}; import json; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in json.loads(out.stdout)}


def test_import_xsk_nb_loads_no_heavy_module() -> None:
    loaded = modules_loaded_by("import xsk_nb")
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_generating_a_key_and_its_report_text_loads_no_jupyter_or_plotting() -> None:
    loaded = modules_loaded_by("import xsk_nb; xsk_nb.KeyReport.generate(512).to_text()")
    assert not loaded & {"IPython", "ipywidgets", "matplotlib", "joserfc", "nbformat"}


def test_lazy_names_resolve() -> None:
    import xsk_nb

    for name in ("key_stats", "KeyStats", "batch_stats", "BatchStats", "panel", "KeyPanel"):
        assert callable(getattr(xsk_nb, name)), name


def test_pip_install_xsk_nb_pulls_only_pure_python_packages() -> None:
    # Issue 11: the browser-only site installs the kit with %pip, where no compiled wheel
    # (numpy, scipy, matplotlib, cryptography) can be loaded. Each core dependency's installed
    # wheel must say Root-Is-Purelib: true; numpy lives in the "stats" extra, which lab includes.
    import re
    from importlib.metadata import distribution

    requires = distribution("xsk-nb").requires or []
    core = [r for r in requires if "extra ==" not in r]
    assert core, "the core has dependencies to check"
    for requirement in core:
        name = re.match(r"[A-Za-z0-9._-]+", requirement).group(0)  # type: ignore[union-attr]
        wheel = distribution(name).read_text("WHEEL") or ""
        assert "Root-Is-Purelib: true" in wheel, name

    def extra(name: str) -> list[str]:  # hatchling writes self-references flattened
        return [r for r in requires if re.search(rf"extra == ['\"]{name}['\"]", r)]

    assert any(r.startswith("numpy") for r in extra("stats"))
    assert any(r.startswith("numpy") for r in extra("lab"))
    assert not any(r.startswith(("numpy", "scipy", "matplotlib")) for r in core)


def test_key_statistics_run_without_numpy_or_scipy() -> None:
    code = (
        "import sys; sys.modules['numpy'] = None; sys.modules['scipy'] = None\n"
        "import xsk_nb; stats = xsk_nb.key_stats(xsk_nb.create_secret_key(2048))\n"
        "print(stats.block_frequency.p_value is not None, stats.longest_run.p_value is not None)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"]


def test_without_numpy_the_numpy_only_helpers_say_which_extra_to_install() -> None:
    code = (
        "import sys; sys.modules['numpy'] = None\n"
        "from xsk_nb.batch import random_key_matrix\n"
        "try:\n    random_key_matrix(2, 512)\n"
        "except ImportError as error:\n    print(error)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "random_key_matrix needs numpy: pip install 'xsk-nb[stats]'" in out.stdout
