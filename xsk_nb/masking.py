"""Masking: how a secret is shown when it is not revealed.

A masked key shows no key character, not even a prefix: only its length and a short label
that tells two keys apart. The label is an HMAC of the key under a salt drawn fresh for each
process, so it is stable within a session but cannot be checked against a guessed key later
(unlike a plain hash or an RFC 7638 thumbprint, which RFC 7638 §7 warns about).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

_SESSION_SALT = secrets.token_bytes(32)
LABEL_HEX_DIGITS = 6


def key_label(k: str) -> str:
    """A 6-hex-digit label for a secret string: same secret, same label, in this process only."""
    digest = hmac.new(_SESSION_SALT, k.encode("utf-8"), hashlib.sha256).hexdigest()
    return digest[:LABEL_HEX_DIGITS]


def masked(k: str) -> str:
    """The placeholder shown instead of a secret string, e.g. ``‹hidden: 86 chars, key a1b2c3›``."""
    return f"‹hidden: {len(k)} chars, key {key_label(k)}›"
