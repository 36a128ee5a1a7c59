"""IPython plumbing shared by the kit's magic classes (imported only when IPython is in use).

It sits apart from :mod:`xsk_nb.magic` and :mod:`xsk_nb.xanoscript.magic` so that neither magic
module imports the other; :func:`xsk_nb.load_ipython_extension` registers both.
"""

from __future__ import annotations

from typing import Any


def remove_magics(ipython: Any, magics_class: type) -> None:
    """Remove every magic a registered ``magics_class`` added (IPython has no public call)."""
    manager = ipython.magics_manager
    instance = manager.registry.pop(magics_class.__name__, None)
    if instance is None:
        return
    for kind, names in instance.magics.items():
        for name in names:
            manager.magics[kind].pop(name, None)
