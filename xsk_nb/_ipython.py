"""IPython plumbing shared by the kit's magic classes (imported only when IPython is in use).

It sits apart from :mod:`xsk_nb.magic` and :mod:`xsk_nb.xanoscript.magic` so that neither magic
module imports the other; :func:`xsk_nb.load_ipython_extension` registers both.
"""

from __future__ import annotations

from typing import Any


def parse_magic_line(magic: Any, line: str) -> Any:
    """``parse_argstring`` for any of the kit's magics, with a line shlex cannot split (an
    unclosed quote, a lone backslash at its end) as one ``UsageError``, not a traceback."""
    from IPython.core.error import UsageError
    from IPython.core.magic_arguments import parse_argstring

    try:
        return parse_argstring(magic, line)
    except ValueError:  # shlex: "No closing quotation" / "No escaped character"
        raise UsageError(
            "the line has an unclosed quote or a trailing backslash; close every quote you "
            'open, e.g. --kid "my key id"'
        ) from None


def remove_magics(ipython: Any, magics_class: type) -> None:
    """Remove every magic a registered ``magics_class`` added (IPython has no public call)."""
    manager = ipython.magics_manager
    instance = manager.registry.pop(magics_class.__name__, None)
    if instance is None:
        return
    for kind, names in instance.magics.items():
        for name in names:
            manager.magics[kind].pop(name, None)
