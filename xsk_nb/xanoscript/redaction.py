"""Which values are key material, and how a value is shown with them hidden.

Secrets are tracked by **provenance** (taint), not by their text alone.

**The limit (issue 24, leak 8).** :data:`FOLLOWS_DATA_NOT_CONTROL_FLOW`: masking follows
data, not control flow. Tracking implicit flows (a boolean oracle such as ``$c == $a`` over
the alphabet inside a conditional) is out of reach for a notebook runner.


* A *root* secret is every ``k`` made by ``create_secret_key``, every ``d`` made by
  ``create_curve_key``, the bytes of ``random_bytes``, every key given to the JWS, JWE and
  encrypt/decrypt functions, every JWK's ``k`` or ``d`` given as an input, and every ``$env``
  value. Binary values (:class:`~xsk_nb.xanoscript.binary.Binary`) carry taint as text does
  and are masked as their hex, the form they are shown in. :meth:`SecretBook.add`
  records it and returns it as a :class:`SecretText`.
* A value computed from key material is key material too, **whatever its length**: a filter
  whose value or arguments hold a secret returns a tainted result (:meth:`SecretBook.derive`),
  and so does a statement whose *content* arguments hold one (a JWS whose claims or headers
  hold the key; the ``key`` argument itself only signs, so a token signed with a key is not
  secret). Tainted text is a :class:`SecretText`, a tainted number a :class:`SecretInt` /
  :class:`SecretFloat`: ``str``/``int``/``float`` subclasses, so every filter and statement
  works on them unchanged, and each carries ``how`` it was made.
* What keeps no taint: booleans (a comparison says one bit, and a check like
  ``$claims.role == "admin"`` must stay visible) and the results of :data:`SHAPE_ONLY` filters
  (a length says nothing of the characters).
* Backstop: a plain string sharing :data:`WINDOW` or more consecutive characters with a root
  (or with a long derived string) is key material too, so text that lost its type on a path
  without a hook is still masked.

Hooks the interpreter calls (keep them through a rewrite; each is one line):

* ``args = book.tag(args)`` before a statement's handler, and
  ``result = book.derive_statement(function, args, result)`` after it;
* ``result = book.derive(filter_name, [value, *args], result)`` after a filter, and the same
  with the operator's symbol after an operator (``~``, ``+``, ...);
* ``value = book.add(value)`` for an ``$env`` value, and ``book.add_jwks_in(bound_inputs)``
  (it returns the inputs tagged).

Every placeholder is one of :mod:`xsk_nb.masking`'s wordings (the "Wordings" block below
names them); walks over values are iterative, so nesting depth is never a ``RecursionError``,
and shown values are cut at :data:`MAX_SHOWN_DEPTH` levels and :data:`MAX_SHOWN_ITEMS` items.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from xsk_nb import masking
from xsk_nb.masking import key_label, masked
from xsk_nb.xanoscript.binary import Binary
from xsk_nb.xanoscript.limits import _MAX_REMEMBERED_PIECES, MAX_SHOWN_DEPTH, MAX_SHOWN_ITEMS

#: The one sentence on what masking does not cover, shown in ``%%xanoscript?`` and the docs.
FOLLOWS_DATA_NOT_CONTROL_FLOW = (
    "Masking follows data, not control flow: a value computed from a key is masked, but code "
    "written to spell a key out through conditions (comparing it with each letter, say) will "
    "show it, and it is your own key."
)
WINDOW = 8
#: JWK members that are the key itself: ``k`` (oct, RFC 7518 §6.4) and ``d`` (EC, §6.2.2.1).
PRIVATE_JWK_MEMBERS: tuple[str, ...] = ("k", "d")
#: Shortest secret whose text is also matched by windows; shorter secrets are still tracked
#: by provenance. The JWS functions refuse keys this short anyway (RFC 7518 §3.2).
MIN_SECRET_CHARS = WINDOW
#: Filters whose result says only the size or shape of their input, never its characters.
SHAPE_ONLY: frozenset[str] = frozenset({"strlen", "count", "is_empty", "is_null"})
#: Statement arguments used only as a signing/verifying/encrypting key, or as security.encrypt's
#: iv: the result does not hold their content (an HMAC or a ciphertext does not show its key,
#: and a CBC ciphertext does not hold its iv, which "is not secret": xano-inc/cli skill
#: security-encrypt, line 117). So a ciphertext made with a random_bytes iv is shown.
KEY_ONLY_ARGUMENTS: frozenset[str] = frozenset({"key", "iv"})
#: Statements whose result holds their inputs themselves, or rows of the notebook database
#: whose values carry the database's own marking (taint kept leaf by leaf): a row found by a
#: key piece shows its marked columns masked, its column names and other values as stored.
PASS_THROUGH_STATEMENTS: frozenset[str] = frozenset(
    {"db.add", "db.get", "db.has", "db.edit", "db.patch", "db.del", "db.query"}
)

# -- Wordings: every placeholder lives in xsk_nb.masking (one home for all masking words) -----
FIRST_CHARS = masking.PLACEHOLDER_KEY_PREFIX
INSIDE_CHARS = masking.PLACEHOLDER_INSIDE_KEY
DERIVED_TEXT = masking.PLACEHOLDER_DERIVED
HOLDING_PART = masking.PLACEHOLDER_PART_OF
DERIVED_NUMBER = masking.PLACEHOLDER_DERIVED_NUMBER
SCRUBBED = masking.PLACEHOLDER_RUN
TOO_DEEP = masking.NOT_SHOWN_TOO_DEEP
TOO_MANY = masking.NOT_SHOWN_TOO_MANY
UNSHOWABLE = masking.NOT_SHOWN_UNSHOWABLE
LOOKS_LIKE_KEY = "text that looks like key material"
SECRET_COLUMN = "stored in column {column}, which holds key material"
# --------------------------------------------------------------------------------------------


class SecretText(str):
    """Text that is key material: ``how`` says what it is, ``source`` which secret it is from."""

    how: str
    source: str
    root: bool

    def __new__(
        cls, text: str, how: str, source: str | None = None, root: bool = False
    ) -> SecretText:
        self = super().__new__(cls, text)
        self.how = how
        self.source = source or how
        self.root = root  # a secret itself (a key, an $env value), not computed from one
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (SecretText, (str(self), self.how, self.source, self.root))


class SecretInt(int):
    """A whole number computed from key material."""

    how: str

    def __new__(cls, value: int, how: str) -> SecretInt:
        self = super().__new__(cls, value)
        self.how = how
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (SecretInt, (int(self), self.how))


class SecretFloat(float):
    """A decimal computed from key material."""

    how: str

    def __new__(cls, value: float, how: str) -> SecretFloat:
        self = super().__new__(cls, value)
        self.how = how
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (SecretFloat, (float(self), self.how))


_TAINTED = (SecretText, SecretInt, SecretFloat)


def is_tainted(value: Any) -> bool:
    """Whether ``value`` itself (not what it contains) carries taint."""
    return isinstance(value, _TAINTED) or (isinstance(value, Binary) and value.how is not None)


def hex_text(value: Binary) -> str:
    """A binary value's lowercase hex, as it is shown, carrying the value's taint."""
    if value.how is None:
        return value.hex()
    return SecretText(value.hex(), value.how, value.source, root=value.root)


class SecretBook:
    """The secrets of one run (or one notebook database) and the masking built on them."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: list[str] = []
        self._labels: dict[str, str] = {}  # "key a1b2c3" -> the root secret
        self._derived: list[SecretText] = []
        self._derived_texts: set[str] = set()
        self._windows: dict[str, int] = {}  # window -> index into _secrets (-1 - i: derived)
        self._pieces: set[str] = set()  # short tainted texts, for scrub()
        for secret in secrets:
            self.add(secret)

    # -- recording -------------------------------------------------------------------------
    def add(self, secret: str) -> SecretText:
        """Track the root ``secret`` and return it as :class:`SecretText`."""
        source = f"key {key_label(secret)}"
        if len(secret) >= MIN_SECRET_CHARS and secret not in self._labels.values():
            self._secrets.append(str(secret))
            self._labels[source] = str(secret)
            self._index(secret, len(self._secrets) - 1)
        elif len(secret) < MIN_SECRET_CHARS:
            self._remember_piece(secret)
        if isinstance(secret, SecretText) and secret.root:
            return secret
        return SecretText(secret, source, source, root=True)

    def add_derived(self, text: str, how: str) -> None:
        """Track ``text``, computed from key material (``how`` says how), by its windows too."""
        if len(text) < MIN_SECRET_CHARS:
            self._remember_piece(text)
            return
        if text in self._derived_texts or any(text in s for s in self._secrets):
            return  # already known, or a piece of a key: placeholder() says which piece
        self._derived.append(text if isinstance(text, SecretText) else SecretText(text, how))
        self._derived_texts.add(str(text))
        self._index(text, -len(self._derived))

    def update(self, other: SecretBook) -> None:
        for secret in other._secrets:
            self.add(secret)
        for derived in other._derived:
            self.add_derived(derived, derived.how)
        for piece in list(other._pieces):
            self._remember_piece(piece)

    def add_jwks_in(self, value: Any) -> Any:
        """Track the private member (``k`` of an oct JWK, ``d`` of an EC one) of every JWK
        inside ``value``; return ``value`` tagged."""
        for item in _walk(value):
            if isinstance(item, dict) and "kty" in item:
                for member in PRIVATE_JWK_MEMBERS:
                    if isinstance(item.get(member), str):
                        self.add(item[member])
        return self.tag(value)

    def _remember_piece(self, text: str) -> None:
        if text and len(self._pieces) < _MAX_REMEMBERED_PIECES:
            self._pieces.add(str(text))

    def _index(self, text: str, index: int) -> None:
        for start in range(len(text) - WINDOW + 1):
            self._windows.setdefault(text[start : start + WINDOW], index)

    # -- provenance hooks ------------------------------------------------------------------
    def tag(self, value: Any) -> Any:
        """``value`` with every plain string holding key material turned into SecretText."""

        def leaf(item: Any) -> Any:
            if isinstance(item, str) and not isinstance(item, SecretText):
                source = self._source_of_text(item)
                if source is not None:
                    return SecretText(item, source, source)
            if isinstance(item, Binary) and item.how is None:
                source = self._source_of_text(item.hex())
                if source is not None:
                    return Binary(item.data, source, source)
            return item

        return _rebuild(value, leaf, leaf)

    def derive(self, how: str, inputs: Any, result: Any) -> Any:
        """``result`` of ``how`` (a filter or operator) on ``inputs``: tainted if they hold
        a secret."""
        if how in SHAPE_ONLY or not self.covers(inputs):
            return self.tag(result)
        return self.taint(result, f"{how} of {self.describe_source(inputs)}")

    def derive_statement(self, function: str, args: dict[str, Any], result: Any) -> Any:
        """``result`` of a statement: tainted whole if its content arguments hold a secret."""
        content = [value for name, value in args.items() if name not in KEY_ONLY_ARGUMENTS]
        if function in PASS_THROUGH_STATEMENTS or not self.covers(content):
            return self.tag(result)
        return self.taint(result, f"{function} of {self.describe_source(content)}")

    def taint(self, value: Any, how: str) -> Any:
        """``value`` with every text and number in it (object keys too) marked as key material."""
        source = how.split(" of ", 1)[-1] if " of " in how else how

        def leaf(item: Any) -> Any:
            if isinstance(item, bool) or item is None or is_tainted(item):
                return item
            if isinstance(item, str):
                marked = SecretText(item, how, source)
                self.add_derived(marked, how)
                return marked
            if isinstance(item, Binary):  # its hex is how it is shown: scrub that too
                self.add_derived(SecretText(item.hex(), how, source), how)
                return Binary(item.data, how, source)
            if isinstance(item, int):
                return SecretInt(item, how)
            if isinstance(item, float):
                return SecretFloat(item, how)
            return item

        return _rebuild(value, leaf, leaf)

    # -- questions -------------------------------------------------------------------------
    def _match(self, text: str) -> tuple[int, int] | None:
        """(index, start in text) of the first window of ``text`` found in a tracked string."""
        if not self._windows:
            return None
        for start in range(len(text) - WINDOW + 1):
            index = self._windows.get(text[start : start + WINDOW])
            if index is not None:
                return index, start
        return None

    def _source_of_text(self, text: str) -> str | None:
        found = self._match(text)
        if found is None:
            return None
        index, _ = found
        if index < 0:
            return self._derived[-1 - index].source
        return f"key {key_label(self._secrets[index])}"

    def covers(self, value: Any) -> bool:
        """Whether ``value`` holds key material anywhere (by taint or by text)."""
        for item in _walk(value):
            if is_tainted(item) or (isinstance(item, str) and self._match(item)):
                return True
            if isinstance(item, Binary) and self._match(item.hex()):
                return True
        return False

    def describe_source(self, value: Any) -> str:
        """Which secret a value holding key material comes from, for a derived value's note."""
        for item in _walk(value):
            if isinstance(item, SecretText):
                return item.source
            if isinstance(item, (SecretInt, SecretFloat)):
                return item.how.split(" of ", 1)[-1]
            if isinstance(item, Binary) and item.source is not None:
                return item.source
            if isinstance(item, str) and (source := self._source_of_text(item)):
                return source
        return "a secret"

    # -- showing ---------------------------------------------------------------------------
    def placeholder(self, text: Any) -> str | None:
        """What to show instead of ``text``, or None if it holds no key material."""
        if isinstance(text, (SecretInt, SecretFloat)):
            return DERIVED_NUMBER.format(how=text.how)
        if isinstance(text, Binary):  # shown as its hex: masked as that text would be
            text = hex_text(text)
        if not isinstance(text, str):
            return None
        if text in self._secrets or (isinstance(text, SecretText) and text.root):
            return masked(text)
        if isinstance(text, SecretText):
            root = self._labels.get(text.source)
            if root is not None and text and root.startswith(text):
                return FIRST_CHARS.format(n=len(text), label=key_label(root))
            if root is not None and text and text in root:
                return INSIDE_CHARS.format(n=len(text), label=key_label(root))
            if text.how != text.source:  # computed by a filter or statement: say which
                return DERIVED_TEXT.format(n=len(text), how=text.how)
        found = self._match(text)
        if found is None:
            if isinstance(text, SecretText):
                return DERIVED_TEXT.format(n=len(text), how=text.how)
            return None
        index, _ = found
        if index < 0:
            derived = self._derived[-1 - index]
            if derived == text:
                return DERIVED_TEXT.format(n=len(text), how=derived.how)
            return HOLDING_PART.format(n=len(text), how=derived.how)
        secret = self._secrets[index]
        label = key_label(secret)
        if secret.startswith(text):
            return FIRST_CHARS.format(n=len(text), label=label)
        if text in secret:
            return INSIDE_CHARS.format(n=len(text), label=label)
        return HOLDING_PART.format(n=len(text), how=f"key {label}")

    def mask(self, value: Any) -> Any:
        """A JSON-ready copy of ``value`` with key material replaced, cut to a showable size."""

        def leaf(item: Any) -> Any:
            shown = self.placeholder(item)
            if shown is not None:
                return shown
            if isinstance(item, (str, int, float, bool)) or item is None:
                return item
            if isinstance(item, Binary):
                return item.hex()
            return str(item)

        def key(item: Any) -> str:
            return self.placeholder(item) or str(item)

        return _rebuild(value, leaf, key, max_depth=MAX_SHOWN_DEPTH, max_items=MAX_SHOWN_ITEMS)

    def scrub(self, message: str) -> str:
        """``message`` with key material replaced by ``‹hidden›``.

        Runs of :data:`WINDOW` characters of a tracked secret anywhere, and a quoted short piece
        of one (``'abc'``, as an error quoting a rejected value shows it). An unquoted piece
        shorter than the window cannot be told from ordinary words and is left.
        """
        hidden = [False] * len(message)
        for start in range(len(message) - WINDOW + 1):
            if message[start : start + WINDOW] in self._windows:
                hidden[start : start + WINDOW] = [True] * WINDOW
        if self._pieces:
            for quoted in _QUOTED.finditer(message):
                inner = quoted.group(2)
                if inner in self._pieces:
                    hidden[quoted.start(2) : quoted.end(2)] = [True] * len(inner)
        out, previous = [], False
        for char, is_hidden in zip(message, hidden, strict=True):
            if not is_hidden:
                out.append(char)
            elif not previous:
                out.append(SCRUBBED)
            previous = is_hidden
        return "".join(out)


_QUOTED = re.compile(rf"""(['"])(.{{1,{WINDOW - 1}}}?)\1""", re.DOTALL)


def cut(value: Any) -> Any:
    """A JSON-ready copy of ``value`` cut to a showable size, nothing masked (for a reveal)."""

    def leaf(item: Any) -> Any:
        if isinstance(item, Binary):
            return item.hex()
        return item if isinstance(item, (str, int, float, bool)) or item is None else str(item)

    return _rebuild(value, leaf, str, max_depth=MAX_SHOWN_DEPTH, max_items=MAX_SHOWN_ITEMS)


def _walk(value: Any) -> Iterator[Any]:
    """``value`` and everything inside it, each container once (iterative: depth and shared or
    circular containers are no risk)."""
    stack = [value]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, (dict, list, tuple)):
            if id(item) in seen:
                continue
            seen.add(id(item))
            if isinstance(item, dict):
                stack.extend(item.keys())
                stack.extend(item.values())
            else:
                stack.extend(item)


def _rebuild(
    value: Any,
    leaf: Callable[[Any], Any],
    key: Callable[[Any], Any],
    *,
    max_depth: int | None = None,
    max_items: int | None = None,
) -> Any:
    """A copy of ``value`` (dicts and lists; tuples become lists) with ``leaf`` applied to each
    scalar and ``key`` to each object key, built iteratively.

    Without limits, a container met twice is copied once (sharing and cycles are kept, and the
    work stays linear). With ``max_depth``/``max_items`` (for display) the copy is a tree: a
    container past the depth, or past the item budget, becomes a one-line placeholder.
    """
    holder: list[Any] = [None]
    copies: dict[int, Any] = {}
    budget = [max_items]
    stack: list[tuple[Any, Any, Any, int]] = [(value, holder, 0, 0)]
    while stack:
        item, parent, slot, depth = stack.pop()
        if budget[0] is not None:
            if budget[0] <= 0:
                parent[slot] = TOO_MANY.format(items=max_items)
                continue
            budget[0] -= 1
        if not isinstance(item, (dict, list, tuple)):
            parent[slot] = leaf(item)
            continue
        if max_depth is not None and depth >= max_depth:
            parent[slot] = TOO_DEEP.format(depth=max_depth)
            continue
        if max_items is None and id(item) in copies:
            parent[slot] = copies[id(item)]
            continue
        if isinstance(item, dict):
            new: Any = {}
            children = []
            for k, v in item.items():
                new_key = key(k)
                new[new_key] = None
                children.append((v, new, new_key, depth + 1))
        else:
            new = [None] * len(item)
            children = [(v, new, i, depth + 1) for i, v in enumerate(item)]
        if max_items is None:
            copies[id(item)] = new
        parent[slot] = new
        stack.extend(reversed(children))
    return holder[0]
