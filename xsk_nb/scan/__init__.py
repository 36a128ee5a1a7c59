"""``xsk-nb scan``: find keys where notebooks hide them (issue 18).

``xsk_nb.scan(paths)`` is this package called as a function (the package is callable, so
``xsk_nb.scan(...)`` and ``xsk_nb.scan.save_guard`` both work); it returns a
:class:`~xsk_nb.scan.scanner.ScanResult`. Modules: ``detect`` (text to hits), ``files`` (what is
read and how), ``scanner`` (orchestration), ``findings`` (what is reported, every wording),
``baseline``, ``output`` (text, JSON, SARIF), ``cli``, ``magic`` (``%xs_scan``),
``save_guard`` (a jupyter_server pre-save hook), ``practice`` (a notebook with planted leaks).
"""

from __future__ import annotations

import sys
import types
from typing import Any

from xsk_nb.scan.findings import Finding
from xsk_nb.scan.scanner import ScanResult, scan, scan_text

__all__ = ["Finding", "ScanResult", "make_practice_notebook", "scan", "scan_text"]


def make_practice_notebook(path: Any) -> Any:
    """Write a notebook with freshly drawn keys planted where notebooks hide them."""
    from xsk_nb.scan.practice import make_practice_notebook as make

    return make(path)


class _CallablePackage(types.ModuleType):
    """``xsk_nb.scan(paths)``: the package answers a call with :func:`scan`."""

    def __call__(self, *args: Any, **kwargs: Any) -> ScanResult:
        return scan(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
