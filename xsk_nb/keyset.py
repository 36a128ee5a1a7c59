"""Key sets for rotation: a JWKS (``{"keys": [...]}``) of oct keys, newest first, each with a
random ``kid``.

Rotation adds a new key in front and keeps the previous ``keep`` keys, so a token signed
before a rotation still verifies (its ``kid`` header finds its key) until ``keep`` more
rotations have pushed that key out. Sign with :attr:`KeySet.current`; verify with
:meth:`KeySet.find` on the token's ``kid``, or hand :meth:`KeySet.to_jwks` to a verifier that
reads a JWKS (PyJWT's ``PyJWKSet``, Envoy's ``local_jwks``, ...).

Files are written like the dotenv file (:mod:`xsk_nb.private_file`): mode 0600, atomically,
under a lock, never through a symlink; :meth:`KeySet.rotate_file` reads, rotates and writes
under one lock so two rotations at once cannot lose a key. The saved file is the JWKS plus one
member, ``"xsk_nb": {"keep": N}`` (RFC 7517 §5: members a reader does not understand are
ignored), so a later rotation keeps as many keys as the set was made with.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from xsk_nb.contract import ALLOWED_ALGS, ALLOWED_BITS, describe_rejected, one_of, validate_kid
from xsk_nb.keygen import create_secret_key, key_bytes
from xsk_nb.private_file import (
    as_path,
    check_private_target,
    read_private_text,
    update_private_file,
)

DEFAULT_KEEP = 2
MAX_KEEP = 64
_SETTINGS = "xsk_nb"
_WHAT = "key set file"


def _check_keep(keep: object) -> int:
    if isinstance(keep, bool) or not isinstance(keep, int) or not 0 <= keep <= MAX_KEEP:
        raise ValueError(
            f"keep must be a whole number from 0 to {MAX_KEEP} (how many previous keys stay "
            f"for verification), such as {DEFAULT_KEEP}; got {describe_rejected(keep)}"
        )
    return keep


def _checked_key(jwk: object, position: int) -> dict[str, Any]:
    """A copy of one member of a key set, or a ValueError naming its position (never a value)."""
    where = f"key {position + 1} of the set"
    if not isinstance(jwk, dict):
        raise ValueError(f"{where} is not a JWK object")
    try:
        size = len(key_bytes(jwk)) * 8
    except (TypeError, ValueError) as error:
        raise ValueError(f"{where} is not an oct JWK: {error}") from None
    if size not in ALLOWED_BITS:
        raise ValueError(f"{where} has {size} bits; a key set holds {one_of(ALLOWED_BITS)}")
    kid = jwk.get("kid")
    if not isinstance(kid, str) or not kid:
        raise ValueError(f"{where} has no kid; every key of a set needs one to be found")
    try:
        validate_kid(kid)  # printable, 1 to 128 characters: safe to print in a message
    except ValueError:
        raise ValueError(
            f"{where} has a kid that is not a printable id of 1 to 128 characters"
        ) from None
    alg = jwk.get("alg")
    if alg is not None and alg not in ALLOWED_ALGS:
        raise ValueError(f"{where} has an alg other than {one_of(ALLOWED_ALGS)}")
    try:
        json.dumps(jwk)
    except (TypeError, ValueError):
        raise ValueError(f"{where} holds a member that is not JSON data") from None
    return dict(jwk)


class KeySet:
    """An immutable set of oct JWKs, newest (:attr:`current`) first.

    >>> ks = KeySet.new(bits=512, alg="HS256", keep=2)
    >>> ks = ks.rotate()                  # a new current key; the old one still verifies
    >>> len(ks.keys), ks.find(ks.keys[1]["kid"]) == ks.keys[1]
    (2, True)
    """

    __slots__ = ("_keep", "_keys")  # no instance __dict__: vars() cannot show the keys

    def __init__(self, keys: Iterable[dict[str, Any]], *, keep: int = DEFAULT_KEEP) -> None:
        self._keep = _check_keep(keep)
        if isinstance(keys, (str, bytes, dict)) or not isinstance(keys, Iterable):
            raise ValueError('keys must be a list of oct JWKs, as in {"keys": [...]}')
        checked = tuple(_checked_key(jwk, i) for i, jwk in enumerate(keys))
        if not checked:
            raise ValueError("a key set needs at least one key; make one with KeySet.new()")
        if len({jwk["kid"] for jwk in checked}) != len(checked):
            raise ValueError("two keys of the set share a kid; every kid must be unique")
        self._keys = checked

    # --- making and rotating ------------------------------------------------------------------

    @classmethod
    def new(cls, bits: int = 512, alg: str | None = "HS256", keep: int = DEFAULT_KEEP) -> KeySet:
        """A set of one fresh key of ``bits`` bits with ``alg`` (or none) and a random kid."""
        _check_keep(keep)
        return cls([create_secret_key(bits, alg=alg, kid="random")], keep=keep)

    def rotate(self) -> KeySet:
        """A new set: a fresh key (same size and alg as :attr:`current`) first, then the
        previous keys up to ``keep`` of them; the oldest beyond that are dropped."""
        fresh = create_secret_key(self.bits, alg=self.alg, kid="random")
        while fresh["kid"] in {jwk["kid"] for jwk in self._keys}:  # 2**-128; but never twice
            fresh = create_secret_key(self.bits, alg=self.alg, kid="random")
        return KeySet((fresh, *self._keys[: self._keep]), keep=self._keep)

    def remove(self, kid: object) -> KeySet:
        """A new set without the key whose ``kid`` is ``kid``: tokens signed with it stop
        verifying at once (the response to a leak; :meth:`rotate` keeps old keys for a grace
        period, which is for routine changes). The current key cannot be removed: rotate first,
        so that a new key signs, then remove the old one."""
        if not isinstance(kid, str) or self.find(kid) is None:
            raise ValueError(
                f"no key of this set has kid {describe_rejected(kid)}; a kid is one of the "
                "set's kid values (xsk-nb jwks new prints the first, rotate the new ones)"
            )
        if kid == self._keys[0]["kid"]:
            raise ValueError(
                f"kid {kid} is the current (signing) key; rotate first so that a new key "
                "signs, then remove it"
            )
        return KeySet((jwk for jwk in self._keys if jwk["kid"] != kid), keep=self._keep)

    # --- reading ------------------------------------------------------------------------------

    @property
    def current(self) -> dict[str, Any]:
        """The newest key, the one to sign with (a copy)."""
        return dict(self._keys[0])

    @property
    def keys(self) -> tuple[dict[str, Any], ...]:
        """Every key, newest first (copies)."""
        return tuple(dict(jwk) for jwk in self._keys)

    @property
    def keep(self) -> int:
        """How many previous keys a rotation keeps for verification."""
        return self._keep

    @property
    def bits(self) -> int:
        """The size of the current key (new keys get the same)."""
        return len(key_bytes(self._keys[0])) * 8

    @property
    def alg(self) -> str | None:
        """The alg of the current key (new keys get the same), or None."""
        return self._keys[0].get("alg")

    def find(self, kid: object) -> dict[str, Any] | None:
        """The key whose ``kid`` is ``kid`` (a copy), or None, e.g. for a key rotated out."""
        for jwk in self._keys:
            if jwk["kid"] == kid:
                return dict(jwk)
        return None

    def to_jwks(self) -> dict[str, list[dict[str, Any]]]:
        """The JWK Set (RFC 7517 §5): ``{"keys": [...]}``, newest first."""
        return {"keys": [dict(jwk) for jwk in self._keys]}

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.keys)

    def __repr__(self) -> str:
        kids = ", ".join(repr(jwk["kid"][:12]) for jwk in self._keys)
        alg = self.alg or "no alg"
        return (
            f"<KeySet of {len(self._keys)} key(s), {self.bits} bits, {alg}, keep={self._keep}, "
            f"kids newest first: {kids}; key material hidden>"
        )

    __str__ = __repr__

    def __reduce__(self) -> Any:
        # Pickling is allowed (the user's own choice of where a key set goes), but explicit.
        return (_rebuild, (self.to_jwks(), self._keep))

    # --- files --------------------------------------------------------------------------------

    @classmethod
    def from_jwks(cls, data: object, *, keep: int | None = None) -> KeySet:
        """A set from a JWKS dict (``{"keys": [...]}``, as :meth:`to_jwks` or a file holds).

        ``keep`` defaults to the file's ``xsk_nb.keep`` setting, else to the larger of
        :data:`DEFAULT_KEEP` and the number of previous keys present (nothing is dropped on
        the next rotation that the set did not already hold beyond).
        """
        if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
            raise ValueError('a key set is a JSON object {"keys": [...]} (a JWKS)')
        if keep is None:
            settings = data.get(_SETTINGS)
            stored = settings.get("keep") if isinstance(settings, dict) else None
            keep = stored if stored is not None else max(DEFAULT_KEEP, len(data["keys"]) - 1)
        return cls(data["keys"], keep=keep)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> KeySet:
        """Read a key set file (refused like the writer refuses: symlinks, FIFOs, devices)."""
        target = as_path(path, _WHAT)
        return _parse(_read_existing(target), target)

    def save(self, path: str | os.PathLike[str], *, replace: bool = True) -> Path:
        """Write the set to ``path`` (mode 0600, atomic, locked); return the path.

        ``replace=False`` refuses an existing file. Refuses a symlink, a folder, a device, a
        FIFO and a file other users can read; on any refusal or error nothing is written.
        """
        text = self._file_text()

        def build(old: str | None) -> str:
            if old is not None and not replace:
                raise ValueError(
                    f"{_WHAT} {str(target)!r} already exists; rotate it, or replace it on purpose"
                )
            return text

        target = as_path(path, _WHAT)
        return update_private_file(target, _WHAT, build)

    @classmethod
    def rotate_file(cls, path: str | os.PathLike[str], *, keep: int | None = None) -> KeySet:
        """Load, rotate and save ``path`` under one lock; return the rotated set.

        ``keep`` changes how many previous keys are kept from now on (default: as saved).
        """
        if keep is not None:
            _check_keep(keep)
        return _change_file(path, lambda current: current.rotate(), keep=keep)

    @classmethod
    def remove_file(cls, path: str | os.PathLike[str], kid: object) -> KeySet:
        """Load ``path``, remove the key ``kid`` (:meth:`remove`) and save, under one lock;
        return the new set. Nothing is written when the kid is refused."""
        return _change_file(path, lambda current: current.remove(kid))

    def _file_text(self) -> str:
        data: dict[str, Any] = self.to_jwks()
        data[_SETTINGS] = {"keep": self._keep}
        return json.dumps(data, indent=2) + "\n"


def _change_file(
    path: str | os.PathLike[str], change: Callable[[KeySet], KeySet], *, keep: int | None = None
) -> KeySet:
    """Load the key set file ``path``, ``change`` it and save the result, under one lock (a
    rotation or a removal); return the new set. Nothing is written when ``change`` refuses."""
    target = as_path(path, _WHAT)
    _read_existing(target)  # a clear sentence for a missing file, before locking
    changed: list[KeySet] = []

    def build(old: str | None) -> str:
        if old is None:
            raise ValueError(_missing(target))
        changed.append(change(_parse(old, target, keep=keep)))
        return changed[0]._file_text()

    update_private_file(target, _WHAT, build)
    return changed[0]


def _rebuild(jwks: dict[str, Any], keep: int) -> KeySet:
    return KeySet.from_jwks(jwks, keep=keep)


def _missing(target: Path) -> str:
    return f"{_WHAT} {str(target)!r} does not exist; make one with xsk-nb jwks new FILE"


def _read_existing(target: Path) -> str:
    if check_private_target(target, _WHAT, for_writing=False) is None:
        raise ValueError(_missing(target))
    text = read_private_text(target, _WHAT)
    if text is None:
        raise ValueError(_missing(target))
    return text


def _parse(text: str, target: Path, *, keep: int | None = None) -> KeySet:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:  # position only: the text may hold keys
        raise ValueError(
            f"{_WHAT} {str(target)!r} is not JSON (error at line {error.lineno}, column "
            f"{error.colno})"
        ) from None
    except ValueError:  # Python's own "Exceeds the limit (4300 digits)", for a huge number
        raise ValueError(
            f"{_WHAT} {str(target)!r} holds a number too long to read (more than "
            f"{getattr(sys, 'get_int_max_str_digits', lambda: 4300)()} digits); a key set "
            "holds none"
        ) from None
    except RecursionError:  # e.g. [[[[...]]]] nested 100,000 deep
        raise ValueError(f"{_WHAT} {str(target)!r} is nested too deeply to be a key set") from None
    try:
        return KeySet.from_jwks(data, keep=keep)
    except ValueError as error:
        raise ValueError(f"{_WHAT} {str(target)!r}: {error}") from None
