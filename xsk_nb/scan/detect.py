"""Finding key material in one piece of text (a cell's source, one output, a file's lines).

Written by hand because no scanner we could use reads notebooks as notebooks or knows a JWK
(detect-secrets' notebook support is an open request, Yelp/detect-secrets#549 and #781):

- JWK members that are secret: ``k`` of an ``oct`` key, the private members of RSA, EC and
  OKP keys (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2), quoted as JSON or as a Python ``dict`` repr
  (what ``print(create_secret_key(512))`` shows), inside a JWK Set or not;
- compact JWS/JWT tokens, decoded (``alg``, ``kid``, ``exp``), and for HS* tokens checked
  against the published example keys and the kit's list of weak secrets;
- base64url secrets in assignment context (``JWT_SECRET=``, ``key = "..."``, ``$env.NAME:``);
- a bare base64url string exactly as long as a key the kit makes (86, 171, 342, 683 chars).

What is never key material here: the kit's masked placeholders (they hold no key character),
``data:`` URIs (images), hex strings (hashes), UUIDs, words joined by ``-``/``_``.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import hmac
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from xsk_nb.scan import findings as F

B64URL = "A-Za-z0-9_-"
#: A JWK member holding secret material, quoted with ' or " (JSON, or a Python dict's repr).
_MEMBER = re.compile(
    r"""(?P<q>["'])(?P<name>k|d|p|q|dp|dq|qi)(?P=q)\s*:\s*(?P<vq>["'])(?P<value>[A-Za-z0-9_-]+)(?P=vq)"""
)
_KTY = re.compile(r"""["']kty["']\s*:\s*["'](?P<kty>[A-Za-z]+)["']""")
_KEYS_ARRAY = re.compile(r"""["']keys["']\s*:\s*\[""")
#: A compact JWS: its header is base64url JSON, so it starts with ``eyJ`` (``{"``).
_TOKEN = re.compile(r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
#: A name that holds a secret, then = or :, then a value (quoted or not).
_ASSIGNMENT = re.compile(
    # Bounded, and a name starts only where a word starts: linear time on any text (an
    # unbounded name or value backtracks quadratically over a long base64 run).
    r"""(?<![A-Za-z0-9_.$])(?P<name>\$env\.[A-Za-z_][A-Za-z0-9_]{0,79}|[A-Za-z_][A-Za-z0-9_.]{0,79})"""
    r"""["']?[ \t]{0,8}(?::=|=|:)[ \t]{0,8}"""
    r"""(?P<vq>["']?)(?P<value>[A-Za-z0-9_\-+/=]{3,4096})(?P=vq)(?![A-Za-z0-9_\-+/=(.\[])"""
)
_SECRET_NAME = re.compile(r"secret|key|token|passw|pwd|jwk|credential|hmac|signing", re.I)
#: Names that say the value is not a secret even though they contain one of the words above.
_NOT_SECRET_NAME = re.compile(
    r"(^|_|\.)(id|kid|ids|name|names|type|kind|size|bits|len|length|path|file|url|uri|alg|"
    r"label|count|hash|digest|thumbprint|fingerprint|public|pub|prefix|env_name)$",
    re.I,
)
_DATA_URI = re.compile(r"data:[\w.+-]+/[\w.+-]+(?:;[\w=.+-]+)*;base64,[A-Za-z0-9+/=\s]+")
_CONSTANT = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")  # a CONSTANT_NAME, not a value
#: A base64url run standing alone: not a piece of standard base64 (split by + and /), such as
#: an embedded font or plotly's "bdata" arrays outside a data: URI.
_RUN = re.compile(r"(?<![A-Za-z0-9_+/-])[A-Za-z0-9_-]+(?![A-Za-z0-9_+/=-])")
_HEX = re.compile(r"[0-9a-fA-F]+")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
#: The base64url length of every key the kit makes (bits 512, 1024, 2048, 4096).
KEY_LENGTHS: dict[int, int] = {86: 512, 171: 1024, 342: 2048, 683: 4096}
#: Shortest value taken as a secret in assignment context (16 base64url chars: 96 bits).
MIN_ASSIGNED = 16
#: Longest part that is not a word in a value still read as words joined by - or _.
MAX_OTHER_PART = 12
#: A token whose exp lies further ahead than this is reported as long-lived.
FAR_EXP_SECONDS = 24 * 3600
_HS = {"HS256": "sha256", "HS384": "sha384", "HS512": "sha512"}
_PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi"}


@dataclass(frozen=True)
class Hit:
    """One piece of key material in a text: where it starts, what it is, the secret itself.

    ``secret`` never leaves the scanner: findings carry only its masked label and a hash.
    """

    start: int
    kind: str
    detail: str
    secret: str
    status: str = F.LEAK


def looks_random(value: str) -> bool:
    """True for a string a key generator could have made. Not random: hex (hashes), a UUID,
    fewer than two of upper case / lower case / digits, words joined by ``-`` or ``_`` (all
    parts but one lower-case words or numbers of up to 4 digits, the one other part at most
    12 characters), a run of 8 consecutive characters (``abcdefgh``), or
    base64url of bytes counting by a fixed step (``AAECAwQF...`` is 0, 1, 2, ...).

    For a random base64url string of 16+ characters each rule misfires rarely: one class
    only with probability about (38/64)^16 = 2e-4 at 16 characters and below 1e-6 from 27;
    the words rule about 4e-4 at 16 characters (three lower-case parts of about 5), far less
    for a key the kit makes (86+ characters). tests/scan/test_detect.py checks 10,000 keys.
    """
    if _HEX.fullmatch(value) or _UUID.fullmatch(value):
        return False
    classes = sum(
        (any(c.isupper() for c in value), any(c.islower() for c in value),
         any(c.isdigit() for c in value))
    )
    if classes < 2:
        return False
    parts = [part for part in re.split(r"[-_]", value) if part]
    others = [  # parts that are not lower-case words or the small numbers names carry
        part for part in parts
        if not ((part.isalpha() and part.islower() and len(part) >= 2)
                or (part.isdigit() and len(part) <= 4))
    ]
    # Words, with at most one short other part ("base64url-encoded-key-material"): a long
    # other part is a random string that happens to start or end with short lower-case runs.
    if len(parts) >= 3 and len(others) <= 1 and sum(map(len, others)) <= MAX_OTHER_PART:
        return False
    if len(parts) == 2 and not others:
        return False
    steps = [ord(b) - ord(a) for a, b in pairwise(value)]
    if any(steps[i : i + 7] == [1] * 7 for i in range(len(steps) - 6)):
        return False
    raw = _b64url_decode(value)
    if raw is not None and len(raw) >= 8:
        diffs = {(b - a) % 256 for a, b in pairwise(raw)}
        if len(diffs) == 1:
            return False
    return True


def _b64url_decode(text: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None


@lru_cache(maxsize=1)
def _weak_secrets() -> tuple[bytes, ...]:
    from xsk_nb.lessons import common_jwt_secrets

    return tuple(word.encode("utf-8") for word in common_jwt_secrets())


@lru_cache(maxsize=1)
def _weak_set() -> frozenset[bytes]:
    return frozenset(_weak_secrets())


def weak_secret(value: str) -> bool:
    """True if ``value`` is in the kit's list of weak JWT secrets (xsk_nb/lessons)."""
    return value.encode("utf-8") in _weak_set()


def published_example(value: str) -> bool:
    """True for a published example key, or a copy of one with at most 2 characters edited
    (tests paste the example with a character changed; it is no more secret for that)."""
    if value in F.PUBLISHED_EXAMPLE_KEYS:
        return True
    return any(
        len(value) == len(key) and sum(a != b for a, b in zip(value, key, strict=True)) <= 2
        for key in F.PUBLISHED_EXAMPLE_KEYS
    )


def _published_example_bytes() -> dict[bytes, str]:
    return {bytes(_b64url_decode(k) or b""): k for k in F.PUBLISHED_EXAMPLE_KEYS}


def _token_hit(start: int, token: str) -> Hit | None:
    header_part, payload_part, signature_part = token.split(".", 2)
    header_bytes = _b64url_decode(header_part)
    try:
        header = json.loads(header_bytes) if header_bytes else None
    except ValueError:
        return None
    if not isinstance(header, dict) or not isinstance(header.get("alg"), str):
        return None
    alg = header["alg"]
    notes = [f"alg {alg[:16]}"]
    if isinstance(header.get("kid"), str):
        notes.append(f"kid {header['kid'][:40]!r}")
    payload_bytes = _b64url_decode(payload_part)
    claims = None
    try:
        claims = json.loads(payload_bytes) if payload_bytes else None
    except ValueError:
        claims = None
    if isinstance(claims, dict):
        exp = claims.get("exp")
        if not isinstance(exp, (int, float)):
            notes.append(F.TOKEN_NO_EXP)
        elif exp < time.time():
            notes.append(F.TOKEN_EXPIRED)
        elif exp - time.time() > FAR_EXP_SECONDS:
            notes.append(F.TOKEN_FAR_EXP.format(days=int((exp - time.time()) // 86400)))
    status = F.LEAK
    if alg.lower() == "none" or not signature_part:
        notes.append(F.TOKEN_UNSIGNED)
    digest = _HS.get(alg)
    signature = _b64url_decode(signature_part) if digest and signature_part else None
    if digest and signature:
        signing_input = f"{header_part}.{payload_part}".encode("ascii")
        for key_bytes in _published_example_bytes():
            if hmac.compare_digest(hmac.digest(key_bytes, signing_input, digest), signature):
                notes.append(F.TOKEN_SIGNED_WITH_EXAMPLE)
                status = F.EXAMPLE
                break
        else:
            for secret in _weak_secrets():  # hmac.digest: the one-shot C path, a few µs each
                if hmac.digest(secret, signing_input, digest) == signature:
                    notes.append(F.TOKEN_WEAK_SECRET)
                    break
    return Hit(start, F.KIND_TOKEN, "; ".join(notes), token, status)


def _enclosing_object(text: str, start: int) -> tuple[int, int]:
    """The span of the ``{...}`` around ``start`` (nearest braces; good enough for a JWK)."""
    left = text.rfind("{", 0, start)
    right = text.find("}", start)
    return (left if left >= 0 else max(0, start - 200), right if right >= 0 else start + 200)


def _member_hits(text: str, taken: _Spans) -> Iterator[Hit]:
    for match in _MEMBER.finditer(text):
        name, value = match["name"], match["value"]
        left, right = _enclosing_object(text, match.start())
        kty_match = _KTY.search(text, left, right + 1)
        kty = kty_match["kty"] if kty_match else None
        if name != "k" and kty not in ("RSA", "EC", "OKP"):
            continue  # "d", "p"... are secret only in an RSA/EC/OKP key
        if name == "k" and kty not in (None, "oct"):
            continue
        if not published_example(value) and not (
            len(value) >= MIN_ASSIGNED and looks_random(value)
        ):
            continue
        in_set = _KEYS_ARRAY.search(text, max(0, left - 400), left + 1) is not None
        kind = F.KIND_JWKS if in_set else F.KIND_JWK
        what = f"private member {name!r} of a {kty} key" if name in _PRIVATE_MEMBERS else (
            "secret member 'k' of an oct key" if kty == "oct" else "member 'k' (a key's secret)"
        )
        taken.append((match.start("value"), match.end("value")))
        yield Hit(match.start("value"), kind, what, value)


class _Spans:
    """Spans of text already claimed, sorted: ``overlaps`` in log time (a text with 100,000
    hits stays linear)."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def append(self, span: tuple[int, int]) -> None:
        index = bisect.bisect_left(self._starts, span[0])
        self._starts.insert(index, span[0])
        self._ends.insert(index, span[1])

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self._starts, end)  # spans starting before ``end``
        return any(self._ends[i] > start for i in range(max(0, index - 2), index))


def find(text: str, *, dotenv: bool = False, code: bool = False) -> list[Hit]:
    """Every piece of key material in ``text``, in order. ``dotenv``: the text is a .env file,
    where a secret-named variable holding a weak secret from the kit's list is reported too.
    ``code``: the text is Python (a code cell, a .py file), where a secret is a quoted literal
    and an unquoted value is a name."""
    taken = _Spans()
    for match in _DATA_URI.finditer(text):
        taken.append(match.span())
    hits: list[Hit] = []
    for match in _TOKEN.finditer(text):
        if taken.overlaps(*match.span()):
            continue
        hit = _token_hit(match.start(), match.group())
        if hit is not None:
            taken.append(match.span())
            hits.append(hit)
    hits.extend(_member_hits(text, taken))
    for match in _ASSIGNMENT.finditer(text):
        name, value = match["name"], match["value"]
        span = match.span("value")
        if taken.overlaps(*span) or not _SECRET_NAME.search(name):
            continue
        unquoted_name = not match["vq"] and (code or _CONSTANT.fullmatch(value))
        if _NOT_SECRET_NAME.search(name) or unquoted_name:
            continue
        clean = value.rstrip("=")
        is_weak = dotenv and weak_secret(value)
        if not is_weak and not (
            published_example(value)
            or (len(clean) >= MIN_ASSIGNED and looks_random(clean))
        ):
            continue
        taken.append(span)
        detail = f"assigned to {name[:60]}" + (f"; {F.WEAK_SECRET}" if is_weak else "")
        hits.append(Hit(span[0], F.KIND_ASSIGNED, detail, value))
    for match in _RUN.finditer(text):
        bits = KEY_LENGTHS.get(len(match.group()))
        if bits is None or taken.overlaps(*match.span()) or not looks_random(match.group()):
            continue
        taken.append(match.span())
        hits.append(
            Hit(match.start(), F.KIND_BARE, F.BARE_DETAIL.format(bits=bits), match.group())
        )
    final = []
    for hit in hits:
        if published_example(hit.secret):
            hit = Hit(hit.start, hit.kind, hit.detail, hit.secret, F.EXAMPLE)
        final.append(hit)
    final.sort(key=lambda hit: hit.start)
    return final
