"""The leak helper under its first name: a re-export of ``tests/_browser/leaks.py``."""

from __future__ import annotations

from _browser.leaks import PIECE, assert_no_key_material, key_pieces_in

__all__ = ["PIECE", "assert_no_key_material", "key_pieces_in"]
