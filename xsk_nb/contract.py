"""What the kit accepts, and how a refusal reads: the one home of both.

Every allowed-values list (key sizes, formats, algorithms, uses, views, thumbprint hashes), the
kid rules, and the helpers every module uses to word a refusal: :func:`one_of` lists what is
allowed, :func:`describe_rejected` says what was given without ever echoing text (a value typed
into the wrong place may be a pasted key), :func:`positive_int` checks a count. The
``validate_*`` functions here check one value each; combinations of options are checked by
:mod:`xsk_nb.request`.

Standard library only, and it imports no other module of the kit: every layer may import it.
"""

from __future__ import annotations

import operator

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a cold-import cost)
if TYPE_CHECKING:
    from collections.abc import Iterable

#: Key sizes in bits, as Xano's ``security.create_secret_key`` documents them.
ALLOWED_BITS: tuple[int, ...] = (512, 1024, 2048, 4096)
ALLOWED_FORMATS: tuple[str, ...] = ("object",)
#: Curves of Xano's ``security.create_curve_key`` (xano-inc/cli skill security-create-curve-key).
ALLOWED_CURVES: tuple[str, ...] = ("P-256", "P-384", "P-521")
#: HMAC algorithms (RFC 7518 §3.2); their hash numbers are in :data:`xsk_nb.strength.HMAC_HASHES`.
ALLOWED_ALGS: tuple[str, ...] = ("HS256", "HS384", "HS512")
ALLOWED_USES: tuple[str, ...] = ("sig",)
#: hashlib names :func:`xsk_nb.keygen.thumbprint` accepts (RFC 7638 allows any hash; SHA-2's).
THUMBPRINT_HASHES: tuple[str, ...] = ("sha256", "sha384", "sha512")

#: Where output shows (the wordings of each are in :mod:`xsk_nb.masking`).
NOTEBOOK = "notebook"
APP = "app"
TERMINAL = "terminal"
VIEWS: tuple[str, ...] = (NOTEBOOK, APP, TERMINAL)

#: Agreement A2: the output metadata of everything a user revealed on purpose (a report's
#: ``.reveal()``, ``%xs_secret_key --reveal``, the panel's Reveal, ``%%xanoscript --reveal``),
#: read by the scanner and the save guard. Copy it before handing it out (it is a dict).
REVEALED_METADATA: dict[str, dict[str, bool]] = {"xsk_nb": {"revealed": True}}

#: Special ``kid`` values; any other printable string of 1 to KID_MAX_LENGTH characters is the
#: kid itself.
KID_RANDOM = "random"
KID_THUMBPRINT = "thumbprint"
KID_MAX_LENGTH = 128

#: Longest text :func:`bits_from_text` reads (a size typed with a sign and spaces).
_BITS_TEXT_MAX = 12


def one_of(values: Iterable[object], *, quoted: bool = False) -> str:
    """The allowed ``values`` as a phrase: ``one_of((512, 1024, 2048, 4096))`` is
    "512, 1024, 2048 or 4096"; ``quoted=True`` puts each in double quotes ('"sig"').

    The one way every message and help text of the kit lists what is allowed, so a list of
    allowed values is typed out once (as a tuple such as :data:`ALLOWED_BITS`) and never again.
    """
    items = [f'"{value}"' if quoted else str(value) for value in values]
    if not items:
        raise ValueError("one_of needs at least one allowed value")
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _as_index(value: object) -> int:
    """``operator.index(value)``: an int, or an int-like such as numpy.int64; else TypeError."""
    return operator.index(value)  # type: ignore[arg-type]


def _with_article(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def describe_rejected(value: object) -> str:
    """A short, safe description of a rejected value, for the end of an error sentence.

    The one helper for this in the kit. Numbers are echoed (an int of 13 digits or more is
    summarised by its size); text is NEVER echoed, because a value typed into the wrong place
    may be a pasted key: a str is described by its length ("a str of 86 characters"), bytes
    and containers by their type and size, anything else by its type.
    """
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        if abs(value) < 10**12:
            return str(int(value))
        return f"an int of about {int(value.bit_length() * 0.30103) + 1} digits"
    if isinstance(value, float):
        return repr(value)
    name = type(value).__name__
    if isinstance(value, str):
        if not value:
            return "an empty str"
        return f"a str of {len(value)} character{'' if len(value) == 1 else 's'}"
    if isinstance(value, (bytes, bytearray, memoryview)):
        size = len(value)
        noun = "bytes object" if name == "bytes" else name
        return f"{_with_article(noun)} of {size} byte{'' if size == 1 else 's'}"
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        size = len(value)
        return f"{_with_article(name)} of {size} item{'' if size == 1 else 's'}"
    try:
        number = _as_index(value)  # an int-like such as numpy.int64
    except TypeError:
        return _with_article(name)
    return describe_rejected(number) if isinstance(number, int) else _with_article(name)


def positive_int(value: object, name: str, *, such_as: str = "") -> int:
    """``value`` as an int if it is a positive integer; else one sentence naming ``name``.

    ``TypeError`` for a bool or anything that is not an integer, ``ValueError`` below 1.
    ``such_as`` (e.g. "such as 512") is added to the sentence to say what is meant.
    """
    wanted = f"{name} must be a positive int" + (f", {such_as}" if such_as else "")
    if isinstance(value, bool):
        raise TypeError(f"{wanted}; got {describe_rejected(value)}")
    try:
        number = _as_index(value)
    except TypeError:
        raise TypeError(f"{wanted}; got {describe_rejected(value)}") from None
    if number < 1:
        raise ValueError(f"{wanted}; got {describe_rejected(number)}")
    return number


def validate_bits(bits: object) -> int:
    """Return ``bits`` as an int if it is one of :data:`ALLOWED_BITS`; otherwise raise.

    ``TypeError`` for anything that is not an integer (bools, floats, strings, bytes, None);
    ``ValueError`` for an integer that is not an allowed size.
    """
    allowed = one_of(ALLOWED_BITS)
    if isinstance(bits, bool):
        raise TypeError(f"bits must be an int, one of {allowed}; got {describe_rejected(bits)}")
    try:
        value = _as_index(bits)
    except TypeError:
        raise TypeError(
            f"bits must be an int, one of {allowed}; got {describe_rejected(bits)}"
        ) from None
    if value not in ALLOWED_BITS:
        raise ValueError(f"bits must be one of {allowed}; got {describe_rejected(value)}")
    return value


def bits_from_text(text: str) -> int:
    """Parse ``bits`` typed as text (command line, magic, XanoScript input) and validate it."""
    if not isinstance(text, str):
        raise TypeError(
            f"bits must be one of {one_of(ALLOWED_BITS)}, typed as text; "
            f"got {describe_rejected(text)}"
        )
    stripped = text.strip()
    digits = stripped.lstrip("+-")
    if not (digits.isascii() and digits.isdigit()) or len(stripped) > _BITS_TEXT_MAX:
        raise ValueError(
            f"bits must be one of {one_of(ALLOWED_BITS)}; got {describe_rejected(text)}"
        )
    return validate_bits(int(stripped))


def validate_format(format: object) -> str:
    allowed = one_of(ALLOWED_FORMATS, quoted=True)
    if not isinstance(format, str):
        raise TypeError(f"format must be the str {allowed}; got {describe_rejected(format)}")
    if format not in ALLOWED_FORMATS:
        raise ValueError(
            f"format must be {allowed}, the only format; got {describe_rejected(format)}"
        )
    return format


def validate_alg_name(alg: object) -> str | None:
    """``alg`` if it is None or one of :data:`ALLOWED_ALGS` (whether the key is long enough for
    it is :func:`xsk_nb.strength.require_hmac_minimum`'s rule)."""
    if alg is None:
        return None
    if not isinstance(alg, str):
        allowed = one_of((*ALLOWED_ALGS, None))
        raise TypeError(f"alg must be {allowed}; got {describe_rejected(alg)}")
    if alg not in ALLOWED_ALGS:
        raise ValueError(f"alg must be {one_of(ALLOWED_ALGS)}; got {describe_rejected(alg)}")
    return alg


def validate_use(use: object) -> str | None:
    if use is None:
        return None
    allowed = one_of(ALLOWED_USES, quoted=True)
    if not isinstance(use, str):
        raise TypeError(f"use must be {allowed} or None; got {describe_rejected(use)}")
    if use not in ALLOWED_USES:
        raise ValueError(
            f"use must be {allowed} (a signing key) or None; got {describe_rejected(use)}"
        )
    return use


#: What ``kid`` may be, in words (messages and help texts).
KID_ALLOWED_TEXT = one_of(
    (
        f'"{KID_RANDOM}"',
        f'"{KID_THUMBPRINT}"',
        f"a printable key id of 1 to {KID_MAX_LENGTH} characters",
    )
)


def validate_kid(kid: object) -> str | None:
    """``kid`` if it is None, a special value or a printable id of 1 to 128 characters (so it
    is safe to print in a message)."""
    if kid is None:
        return None
    if not isinstance(kid, str):
        raise TypeError(f"kid must be {KID_ALLOWED_TEXT}, or None; got {describe_rejected(kid)}")
    if not kid or len(kid) > KID_MAX_LENGTH or not kid.isprintable():
        raise ValueError(f"kid must be {KID_ALLOWED_TEXT}; got {describe_rejected(kid)}")
    return kid


#: Longest environment variable name: a longer "name" is far more likely a pasted secret (a
#: 512-bit k has 86 characters and is often a valid name) than a real variable.
ENV_NAME_MAX_LENGTH = 64
_ENV_NAME_FIRST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_ENV_NAME_REST = _ENV_NAME_FIRST | frozenset("0123456789")


def validate_env_name(name: object) -> str:
    """``name`` if it is a variable name (``--env-name``, the panel's name, a Xano variable):
    letters, digits and _, not starting with a digit, at most 64 characters; never echoed."""
    if (
        not isinstance(name, str)
        or not 1 <= len(name) <= ENV_NAME_MAX_LENGTH
        or name[0] not in _ENV_NAME_FIRST
        or not set(name) <= _ENV_NAME_REST
    ):
        # The name is not repeated: a value pasted into the wrong field may be a key.
        raise ValueError(
            "env name must be a variable name (letters, digits and _, not starting with a "
            f"digit, at most {ENV_NAME_MAX_LENGTH} characters), such as JWT_SECRET; got "
            f"{describe_rejected(name)}"
        )
    return name


def validate_view(view: object) -> str:
    """``view`` if it is one of :data:`VIEWS`; else one sentence naming them (no echo)."""
    if not isinstance(view, str) or view not in VIEWS:
        raise ValueError(f"view must be {one_of(VIEWS, quoted=True)}")
    return view
