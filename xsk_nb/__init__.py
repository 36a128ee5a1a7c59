"""xsk-nb: XanoScript's ``security.create_secret_key`` in Jupyter.

Importing this package is cheap: it loads only the standard library. Statistics (numpy, scipy),
the report's plot (matplotlib), the magic (IPython) and the panel (ipywidgets) load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xsk_nb.keygen import ALLOWED_BITS, create_secret_key, key_bytes, thumbprint
from xsk_nb.strength import RECOMMENDATIONS, hmac_fit, hmac_fits

__version__ = "0.1.0"

__all__ = [
    "ALLOWED_BITS",
    "RECOMMENDATIONS",
    "create_secret_key",
    "hmac_fit",
    "hmac_fits",
    "key_bytes",
    "thumbprint",
    "__version__",
]


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext xsk_nb``: register the magics (imports IPython only now)."""
    from xsk_nb.magic import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    from xsk_nb.magic import unload_ipython_extension as unload

    unload(ipython)
