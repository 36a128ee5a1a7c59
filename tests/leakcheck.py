"""One test helper: does a text hold key material (any 8+ character piece of a key's k)?"""

from __future__ import annotations

import json
from typing import Any

PIECE = 8


def key_pieces_in(text: str, k: str, piece: int = PIECE) -> list[str]:
    """Every ``piece``-character substring of ``k`` that occurs in ``text``."""
    return [k[i : i + piece] for i in range(len(k) - piece + 1) if k[i : i + piece] in text]


def assert_no_key_material(where: Any, k: str, name: str = "output") -> None:
    """Fail if ``where`` (text, or anything JSON-able) holds an 8+ character piece of ``k``."""
    text = where if isinstance(where, str) else json.dumps(where, default=repr)
    found = key_pieces_in(text, k)
    assert not found, (
        f"{name}: {len(found)} pieces of the key leaked, first at {text.find(found[0])}"
    )
