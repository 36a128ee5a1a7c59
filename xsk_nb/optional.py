"""Optional dependencies: one sentence naming the extra to install when one is missing.

The kit's core needs only python-dotenv; the panel, ``--copy``, ``%%xanoscript`` and the
batch statistics need packages from an extra. This is the one place that knows which extra
holds which package, after pandas' ``import_optional_dependency`` (pandas/compat/_optional.py)::

    np = import_optional("numpy", "batch_stats on an array")
    with optional_dependencies("%%xanoscript"):
        import lark                    # ModuleNotFoundError -> MissingExtra, one sentence

Both raise :class:`MissingExtra` (an ``ImportError``) with "<feature> needs <package>: pip
install 'xsk-nb[<extra>]'"; a magic turns it into a ``UsageError``. Standard library only.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

#: Importable name -> (the name pip installs it by, the kit's extra that brings it).
EXTRAS: dict[str, tuple[str, str]] = {
    "numpy": ("numpy", "stats"),
    "scipy": ("scipy", "lab"),
    "matplotlib": ("matplotlib", "lab"),
    # The kernel side ([notebook]; [lab] and [classroom] include it).
    "IPython": ("ipython", "notebook"),
    "ipykernel": ("ipykernel", "notebook"),
    "ipywidgets": ("ipywidgets", "notebook"),
    "anywidget": ("anywidget", "notebook"),
    "traitlets": ("traitlets", "notebook"),
    "jwt": ("pyjwt", "notebook"),
    "lark": ("lark", "notebook"),
    "ecdsa": ("ecdsa", "notebook"),
    "yaml": ("pyyaml", "xano"),
}


class MissingExtra(ImportError):
    """An optional package is missing; the message names the extra that installs it."""


def missing_sentence(feature: str, module: str) -> str:
    """"<feature> needs <package>: pip install 'xsk-nb[<extra>]'" for a missing ``module``."""
    top = module.split(".")[0]
    package, extra = EXTRAS.get(top, (top, "lab"))
    return f"{feature} needs {package}: pip install 'xsk-nb[{extra}]'"


def import_optional(module: str, feature: str) -> ModuleType:
    """``importlib.import_module(module)``, or :class:`MissingExtra` saying what to install."""
    with optional_dependencies(feature):
        return importlib.import_module(module)


@contextmanager
def optional_dependencies(feature: str) -> Iterator[None]:
    """Turn a ``ModuleNotFoundError`` for an optional package raised in the block (by an
    import of the kit's own module that needs it, say) into :class:`MissingExtra`.

    A missing module that is not optional (a bug, or the kit's own module) is re-raised as is.
    """
    try:
        yield
    except ModuleNotFoundError as error:
        name = error.name or ""
        if name.split(".")[0] not in EXTRAS:
            raise
        raise MissingExtra(missing_sentence(feature, name), name=name) from None
