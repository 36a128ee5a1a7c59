"""``xsk-nb inspect [FILE|-]``: the masked report card of a key the developer already has.

It reads a JWK, a JWKS (``{"keys": [...]}``, one card per oct key), a dotenv file or line
(``JWT_SECRET='{"kty":"oct",...}'``, or a variable holding ``k`` alone; one card per variable
that holds a key), or raw ``k`` (the base64url secret). FILE ``-`` or no FILE reads standard
input; from a terminal it is read with ``getpass``, so a pasted key is not echoed (one line).
Each card is :class:`xsk_nb.report.KeyReport`'s text, masked, with the HMAC fit for HS256,
HS384 and HS512 (:mod:`xsk_nb.strength`). The key is never printed, and no refusal repeats
what was read. Registered in :mod:`xsk_nb.cli` by :func:`add_subparser` (agreement A5).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from typing import Any

#: Standard input larger than this is refused (a JWKS or a .env file is a few KiB).
MAX_BYTES = 1 << 20
_UNREADABLE = (
    "found no key in {where}: give a JWK, a JWKS, a .env line such as "
    "JWT_SECRET='{{\"kty\":\"oct\",\"k\":\"...\"}}', or k, the base64url secret (nothing read "
    "is shown)"
)


def add_subparser(subparsers: Any) -> None:
    """Register ``inspect`` on the top-level parser's sub-commands."""
    inspect = subparsers.add_parser(
        "inspect",
        help="the masked report card of a key you have (JWK, JWKS, .env or k); "
        "e.g. xsk-nb inspect .env",
        description="Show the masked report card, with the HMAC fit for each algorithm, of a "
        "key you already have. The key is never printed.",
        epilog="examples:\n  xsk-nb inspect key.jwk\n  xsk-nb inspect .env\n"
        "  xsk-nb inspect            (paste k or a JWK; not echoed)\n"
        "  pass show jwt | xsk-nb inspect -",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    inspect.add_argument(
        "inspect_file", nargs="?", default="-", metavar="FILE",
        help="a file holding the key, or - (the default) for standard input; e.g. .env",
    )  # fmt: skip
    inspect.set_defaults(handler=run_inspect)


def read_input(source: str) -> tuple[str, str]:
    """``(text, where)`` for FILE or ``-``; one ``ValueError`` when it cannot be read."""
    if source != "-":
        from xsk_nb.private_file import as_path, read_private_text

        path = as_path(source, "key file")
        text = read_private_text(path, "key file")
        if text is None:
            raise ValueError(f"key file {str(path)!r} does not exist")
        return text, repr(str(path))
    if sys.stdin is None:
        raise ValueError("there is no standard input to read a key from; give FILE")
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("Paste the key (a JWK, a .env line or k; not shown): "), "the input"
    raw = sys.stdin.buffer.read(MAX_BYTES + 1) if hasattr(sys.stdin, "buffer") else None
    if raw is None:
        text = sys.stdin.read(MAX_BYTES + 1)
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("the standard input is not UTF-8 text") from None
    if len(text) > MAX_BYTES:
        raise ValueError("the standard input is larger than 1 MiB; a key is expected to be small")
    return text, "the standard input"


def keys_in(text: str) -> list[tuple[str, dict[str, Any]]]:
    """Every oct JWK ``text`` holds, each with a caption (kid, variable name); may be empty."""
    stripped = text.strip().lstrip("\ufeff")
    if not stripped:
        return []
    if stripped.startswith("{"):
        return _from_json(stripped, "")
    if "=" in stripped:
        return _from_dotenv(text)
    if len(stripped.split()) == 1:
        jwk = _jwk_from_k(stripped)
        return [("", jwk)] if jwk is not None else []
    return []


def _from_json(text: str, caption: str) -> list[tuple[str, dict[str, Any]]]:
    try:
        data = json.loads(text)
    except ValueError:
        return []
    if isinstance(data, dict) and isinstance(data.get("keys"), list):
        found = []
        for index, member in enumerate(data["keys"], start=1):
            if _is_oct(member):
                kid = member.get("kid")
                name = f"key {index} of {len(data['keys'])}" + (
                    f", kid {kid}" if isinstance(kid, str) else ""
                )
                found.append((f"{caption}: {name}" if caption else name, member))
        return found
    return [(caption, data)] if _is_oct(data) else []


def _from_dotenv(text: str) -> list[tuple[str, dict[str, Any]]]:
    from dotenv import dotenv_values

    found: list[tuple[str, dict[str, Any]]] = []
    values = dotenv_values(stream=io.StringIO(text), interpolate=False)
    for name, value in values.items():
        if not value:
            continue
        value = value.strip()
        if value.startswith("{"):
            found += _from_json(value, name)
        else:
            jwk = _jwk_from_k(value)
            if jwk is not None:
                found.append((name, jwk))
    return found


def _is_oct(value: object) -> bool:
    from xsk_nb.keygen import key_bytes

    if not isinstance(value, dict):
        return False
    try:
        key_bytes(value)
    except (TypeError, ValueError):
        return False
    return True


def _jwk_from_k(text: str) -> dict[str, Any] | None:
    jwk = {"kty": "oct", "k": text}
    return jwk if _is_oct(jwk) else None


def cards(text: str, where: str) -> str:
    """The masked cards for every key in ``text``; one ``ValueError`` when there is none."""
    from xsk_nb.masking import MASK_NOTE_INSPECT, TERMINAL
    from xsk_nb.report import KeyReport

    found = keys_in(text)
    if not found:
        raise ValueError(_UNREADABLE.format(where=where))
    parts = []
    for caption, jwk in found:
        report = KeyReport(jwk, view=TERMINAL, plot=False)
        report.mask_note = MASK_NOTE_INSPECT  # inspect has no --reveal to offer
        parts.append((f"{caption}\n" if caption else "") + report.to_text())
    return "\n\n".join(parts) + "\n"


def run_inspect(parser: argparse.ArgumentParser, args: argparse.Namespace) -> tuple[str, str]:
    """The ``inspect`` handler: the cards for stdout, or one sentence and exit 2."""
    failure = None
    try:
        text, where = read_input(args.inspect_file)
        return cards(text, where), ""  # nothing is written: nothing to report if stdout fails
    except ValueError as error:
        failure = str(error)
    except KeyboardInterrupt:
        raise
    except Exception as error:  # a key was read: no message of unknown origin is shown
        failure = f"could not make the key's card (an unexpected {type(error).__name__})"
    parser.error(failure)
