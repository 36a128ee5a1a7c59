"""xsk-nb: XanoScript's ``security.create_secret_key`` in Jupyter.

Importing this package is cheap: it loads only the standard library. The statistics (pure
Python; numpy, from the ``stats`` extra, only speeds up batches), the magic (IPython) and the
panel (ipywidgets, anywidget) load on first use; a missing extra is one sentence naming it.
"""

from __future__ import annotations

from xsk_nb.contract import ALLOWED_BITS
from xsk_nb.keygen import create_secret_key, key_bytes, thumbprint

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a cold-import cost)
if TYPE_CHECKING:
    from typing import Any

    from xsk_nb import scan
    from xsk_nb.batch import BatchStats, batch_stats
    from xsk_nb.key_panel import KeyPanel, panel
    from xsk_nb.report import KeyReport
    from xsk_nb.stats import KeyStats, expected_shannon_entropy, key_stats
    from xsk_nb.strength import RECOMMENDATIONS, hmac_fit, hmac_fits

# Loaded on first use: `import xsk_nb` imports only the generator and the standard library it
# needs, never ipywidgets or numpy (and not even typing or dataclasses).
_LAZY = {
    "KeyReport": "xsk_nb.report",
    "KeySet": "xsk_nb.keyset",
    "RECOMMENDATIONS": "xsk_nb.strength",
    "hmac_fit": "xsk_nb.strength",
    "hmac_fits": "xsk_nb.strength",
    "BatchStats": "xsk_nb.batch",
    "batch_stats": "xsk_nb.batch",
    "KeyPanel": "xsk_nb.key_panel",
    "panel": "xsk_nb.key_panel",
    "KeyStats": "xsk_nb.stats",
    "expected_shannon_entropy": "xsk_nb.stats",
    "key_stats": "xsk_nb.stats",
}

__version__ = "0.3.0"

__all__ = [
    "ALLOWED_BITS",
    "RECOMMENDATIONS",
    "BatchStats",
    "KeyPanel",
    "KeyReport",
    "KeySet",
    "KeyStats",
    "__version__",
    "batch_stats",
    "create_secret_key",
    "expected_shannon_entropy",
    "hmac_fit",
    "hmac_fits",
    "key_bytes",
    "key_stats",
    "panel",
    "scan",
    "thumbprint",
]


def __getattr__(name: str) -> Any:
    if name == "scan":  # a callable package: xsk_nb.scan(paths), xsk_nb.scan.save_guard
        import importlib

        return importlib.import_module("xsk_nb.scan")
    if name in _LAZY:
        from xsk_nb.optional import import_optional  # a missing extra: one sentence

        value = getattr(import_optional(_LAZY[name], f"xsk_nb.{name}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'xsk_nb' has no attribute {name!r}")


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext xsk_nb``: register the kit's magics (imports IPython only now)."""
    from xsk_nb.magic import XsMagics
    from xsk_nb.scan.magic import ScanMagics
    from xsk_nb.xano.magic import XanoMagics
    from xsk_nb.xanoscript.magic import XanoScriptMagics

    ipython.register_magics(XsMagics)
    ipython.register_magics(XanoScriptMagics(ipython))
    ipython.register_magics(XanoMagics)
    ipython.register_magics(ScanMagics)


def unload_ipython_extension(ipython: Any) -> None:
    from xsk_nb._ipython import remove_magics
    from xsk_nb.magic import XsMagics
    from xsk_nb.scan.magic import ScanMagics
    from xsk_nb.xano.magic import XanoMagics
    from xsk_nb.xanoscript.magic import XanoScriptMagics

    remove_magics(ipython, XanoMagics)
    remove_magics(ipython, ScanMagics)
    remove_magics(ipython, XanoScriptMagics)
    remove_magics(ipython, XsMagics)
