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
