"""What the scanner reports: one finding, its statuses and kinds, and every wording about it.

A finding never holds the secret it is about: it holds where it is (file, cell/output/line),
what it is (kind, detail), the kit's masked label (:func:`xsk_nb.masking.masked`, e.g.
``‹hidden: 86 chars, key a1b2c3›``, stable in one process only) and a SHA-256 fingerprint of
the secret, for baselines. Limit, stated plainly: a fingerprint lets someone who *guesses* a
weak secret confirm the guess (as detect-secrets' ``hashed_secret`` does); for a random key
from the kit it reveals nothing usable.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from typing import Any

# --- statuses ---------------------------------------------------------------------------------
LEAK = "leak"
#: An output the user revealed on purpose (agreement A2: output metadata xsk_nb.revealed).
REVEALED = "revealed"
#: A key printed in a public document: not secret, but never to be used.
EXAMPLE = "example"
STATUSES = (LEAK, REVEALED, EXAMPLE)
STATUS_TITLES = {
    LEAK: "Key material found",
    REVEALED: "Revealed on purpose (marked by the kit; clear these outputs before sharing)",
    EXAMPLE: "Published example keys (not secret: never use them)",
}
EXAMPLE_NOTE = "a published example key: never use it"

# --- kinds --------------------------------------------------------------------------------------
KIND_JWK = "jwk"
KIND_JWKS = "jwks"
KIND_TOKEN = "token"
KIND_ASSIGNED = "assigned-secret"
KIND_BARE = "key-sized-string"
KINDS: dict[str, str] = {
    KIND_JWK: "a JWK with secret material",
    KIND_JWKS: "a JWK Set holding secret material",
    KIND_TOKEN: "a compact JWS/JWT token (a bearer credential)",
    KIND_ASSIGNED: "a secret assigned to a name",
    KIND_BARE: "a base64url string as long as a key the kit makes",
}

# --- details ------------------------------------------------------------------------------------
TOKEN_NO_EXP = "no exp (valid forever)"
TOKEN_EXPIRED = "expired"
TOKEN_FAR_EXP = "exp {days} days away"
TOKEN_UNSIGNED = "unsigned (alg none or no signature)"
TOKEN_WEAK_SECRET = "signed with a weak secret from a public list"
TOKEN_SIGNED_WITH_EXAMPLE = "signed with a published example key"
WEAK_SECRET = "a weak secret from a public list"
BARE_DETAIL = "{bits}-bit key length"

#: Public example keys: RFC 7515 Appendix A.1's HS256 key, and the sample ``k`` printed in
#: Xano's reference for security.create_secret_key (the "Generate 512-bit Key" example).
PUBLISHED_EXAMPLE_KEYS: dict[str, str] = {
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow": (
        "RFC 7515 Appendix A.1"
    ),
    "GKSJXqhQ26xQ9zqT1ca3iGtMrZjzwmm1g9hSYaxUzAOzDT1JbsRu91FdXTp18cUDGg6_ct_jtMOTXTXQCM_b6g": (
        "Xano's security.create_secret_key reference"
    ),
}

#: The comment that accepts a finding on purpose: on its line, or anywhere in a notebook cell's
#: source (then for that cell's source and outputs). Write why after it.
ALLOW_COMMENT = "xsk-nb: allow"


def fingerprint(secret: str) -> str:
    """SHA-256 of the secret, hex: the identity a baseline stores (see the module's limit)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Finding:
    """One piece of key material: where, what, and its masked label; never the secret."""

    file: str
    where: str  # "cell 3, output 1 (stream)", "line 12", "notebook metadata"
    line: int  # the line in the file on disk (1-based), for editors and SARIF
    kind: str
    detail: str
    label: str  # xsk_nb.masking.masked(secret)
    fingerprint: str
    status: str = LEAK

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        """One line: ``file: where: kind (detail) label``."""
        extra = f" ({self.detail})" if self.detail else ""
        tail = f"; {EXAMPLE_NOTE}" if self.status == EXAMPLE else ""
        return f"{self.file}: {self.where}: {KINDS[self.kind]}{extra} {self.label}{tail}"
