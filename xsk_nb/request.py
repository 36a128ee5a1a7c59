"""One key request behind every adapter: check the options, draw, send, save, word the outcome.

The magic (``%xs_secret_key``), the command line (``xsk-nb``), the panel and a push to Xano
(``xsk-nb xano env-set``) all ask for a key the same way::

    request = KeyRequest(bits=512, alg="HS256", env_file=".env", env_name="JWT_SECRET")
    request = request.check()         # RequestRefused (a ValueError) before any key is drawn
    outcome = request.run(present)    # never raises once a key exists
    if outcome.failure: ...           # one sentence, no key piece in it
    print(outcome.sentence)           # "Saved key a1b2c3 (512 bits) as JWT_SECRET in ..."

- :meth:`KeyRequest.check` checks every value (:mod:`xsk_nb.contract`'s rules, the HMAC
  minimum of ``alg``) and every combination of options, and reads the ``.env`` file to check
  it may be written. Each rule's sentence is written once, beside the rule, below.
- :meth:`KeyRequest.run` draws the key, hands it to ``send`` (a callable the Xano push gives:
  it receives the JWK and raises :class:`SendFailed` with a sentence when it cannot), saves it
  to the ``.env`` file, then calls ``present(jwk)``, the adapter's rendering (a report, a
  text, a widget), in the same guarded frame. Whatever goes wrong once the key exists is
  returned as :attr:`KeyOutcome.failure`, a sentence with no 8-character piece of the key,
  never raised: an exception leaving this frame would carry the key in its traceback's locals
  (a verbose traceback, ``%tb``).
- :class:`KeyOutcome` says what was done in one sentence worded here for every adapter, with
  the key's masked label (:func:`xsk_nb.masking.key_label`), never the key.

Option names in the sentences are the magic's and the command line's (``--env-file``, ...);
an adapter with other names passes ``flags`` (e.g. ``{"env_file": "--also-env-file"}``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from xsk_nb.contract import (
    validate_bits,
    validate_format,
    validate_kid,
    validate_use,
)
from xsk_nb.keygen import create_secret_key, validate_alg
from xsk_nb.masking import key_label

#: What an adapter prints of the key: its report (masked unless revealed), the JWK, or k.
SHOW_REPORT = "report"
SHOW_JWK = "jwk"
SHOW_K = "k"
SHOWS: tuple[str, ...] = (SHOW_REPORT, SHOW_JWK, SHOW_K)

#: The option that sets each member, as the magic and the command line spell it.
FLAGS: dict[str, str] = {
    "reveal": "--reveal",
    "env_file": "--env-file",
    "env_name": "--env-name",
    "force": "--force",
    "kid": "--kid",
    "use": "--use",
    SHOW_JWK: "--jwk",
    SHOW_K: "--k-only",
}

#: The size used when none is given (the magic's is its ``XsMagics.default_bits`` setting).
DEFAULT_BITS = 2048
#: The rule "an 8-character piece of a key is key material": a failure sentence holding one
#: is replaced (tests/leakcheck.py's PIECE is the same figure).
KEY_PIECE = 8


class RequestRefused(ValueError):
    """An option, or a combination of options, the request cannot run with. Raised by
    :meth:`KeyRequest.check` before any key is drawn; the message is one sentence."""


class SendFailed(Exception):
    """Raised by a ``send`` callable with one sentence saying why the key could not be sent
    (no key in it: the request checks and replaces a sentence that holds a piece of the key)."""


class KeyOutcome:
    """What a :meth:`KeyRequest.run` did: the key (explicit access only), what ``present``
    returned, where the key was saved, whether it was sent, and one sentence for the user.

    ``failure`` is None when everything was done, else the one sentence to show instead.
    Masked in its repr and not picklable: it holds the key.
    """

    __slots__ = ("_jwk", "failure", "label", "saved_path", "sent", "sentence", "shown")

    def __init__(
        self,
        jwk: dict[str, str] | None,
        *,
        shown: Any = None,
        sentence: str = "",
        saved_path: Path | None = None,
        sent: bool = False,
        failure: str | None = None,
    ) -> None:
        self._jwk = jwk
        self.label = key_label(jwk["k"]) if jwk else None
        self.shown = shown
        self.sentence = sentence
        self.saved_path = saved_path
        self.sent = sent
        self.failure = failure

    def jwk(self) -> dict[str, str]:
        """The JWK, key included (an explicit call); a failed outcome holds none."""
        if self._jwk is None:
            raise ValueError(f"this request failed, so it holds no key: {self.failure}")
        return dict(self._jwk)

    def __repr__(self) -> str:
        if self.failure is not None:
            return f"KeyOutcome(failed: {self.failure})"
        return f"KeyOutcome(key {self.label}, key material hidden; {self.sentence or 'done'})"

    def __reduce__(self) -> Any:
        raise TypeError("a KeyOutcome holds a secret and is not picklable; use .jwk() explicitly")


@dataclass(frozen=True)
class KeyRequest:
    """A key to draw and what to do with it. Build it from an adapter's options, then
    :meth:`check` (before any draw) and :meth:`run`."""

    bits: int = DEFAULT_BITS
    format: str = "object"
    alg: str | None = None
    use: str | None = None
    kid: str | None = None
    #: Show the full key (in the report, or as the JWK / k alone: see ``show``).
    reveal: bool = False
    show: str = SHOW_REPORT
    env_file: str | os.PathLike[str] | None = None
    env_name: str | None = None
    #: Replace a name already set (in the .env file, or where ``send`` sends the key).
    force: bool = False
    #: Where ``send`` sends the key, in words ("Xano's tenant t1 as JWT_SECRET"); None: no send.
    send_to: str | None = None
    #: Where the saved file lives, said after its path when a user could think otherwise
    #: (the panel's app: "on the server that runs this app (not on your computer)").
    saved_on: str | None = None
    #: Other spellings of the options in the sentences, e.g. {"env_file": "--also-env-file"}.
    flags: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def _flag(self, name: str) -> str:
        return self.flags.get(name, FLAGS[name])

    # --- before any draw ------------------------------------------------------------------
    def check(self) -> KeyRequest:
        """This request with every value checked (``bits`` as an int); else RequestRefused.

        Nothing is drawn and nothing is written. The ``.env`` file is read (not written) to
        check that it may be written: an unreadable one is refused too.
        """
        try:
            bits = validate_bits(self.bits)
            validate_format(self.format)
            validate_alg(self.alg, bits)
            validate_use(self.use)
            validate_kid(self.kid)
        except (TypeError, ValueError) as error:
            raise RequestRefused(str(error)) from None
        self._check_combinations()
        if self.env_file is not None:
            self._check_env_file()
        return replace(self, bits=bits)

    def _check_combinations(self) -> None:
        if self.show not in SHOWS:
            raise RequestRefused(f"show must be one of {', '.join(SHOWS)}")
        saving = self.env_file is not None or self.env_name is not None
        if saving and (self.env_file is None or self.env_name is None):
            raise RequestRefused(
                f"{self._flag('env_file')} and {self._flag('env_name')} go together: give "
                f"both, e.g. {self._flag('env_file')} .env {self._flag('env_name')} JWT_SECRET"
            )
        if saving or self.send_to is not None:
            where = self._flag("env_file") if saving else f"sending the key to {self.send_to}"
            shown = [
                self._flag(name)
                for name, given in (
                    ("reveal", self.reveal),
                    (SHOW_JWK, self.show == SHOW_JWK),
                    (SHOW_K, self.show == SHOW_K),
                )
                if given
            ]
            if shown:
                raise RequestRefused(
                    f"{shown[0]} does not go with {where}: a key saved or sent is never shown"
                )
        elif self.force:
            raise RequestRefused(
                f"{self._flag('force')} only applies with {self._flag('env_file')} and "
                f"{self._flag('env_name')}"
            )
        if self.show == SHOW_K and (self.kid is not None or self.use is not None):
            raise RequestRefused(
                f"{self._flag(SHOW_K)} prints only k, so {self._flag('kid')} and "
                f"{self._flag('use')} would be lost; use {self._flag(SHOW_JWK)}"
            )

    def _check_env_file(self) -> None:
        from xsk_nb.envfile import check_env_target

        assert self.env_file is not None and self.env_name is not None
        try:
            check_env_target(self.env_file, self.env_name, force=self.force)
        except (TypeError, ValueError) as error:
            raise RequestRefused(str(error)) from None
        except OSError as error:  # an unreadable file, a folder we may not list, ...
            raise RequestRefused(
                f"could not read the {self._flag('env_file')}: "
                f"{error.strerror or type(error).__name__}"
            ) from None

    # --- the key exists from here ---------------------------------------------------------
    def run(
        self,
        present: Callable[[dict[str, str]], Any] | None = None,
        *,
        send: Callable[[dict[str, str]], object] | None = None,
        present_stage: str = "build the key's report",
    ) -> KeyOutcome:
        """Check, draw, send (if ``send``), save (if ``env_file``), then ``present(jwk)``.

        Raises only :class:`RequestRefused`, from :meth:`check`, before any draw. Once the key
        exists nothing is raised: a failure is the returned outcome's ``failure`` sentence,
        which says whether the key was sent or saved before the failure.
        """
        request = self.check()
        if (send is None) != (request.send_to is None):
            raise RequestRefused("send and send_to go together: give both, or neither")
        return request._run_checked(present, send, present_stage)

    def save(self, jwk: dict[str, str]) -> KeyOutcome:
        """Save a key already drawn (the one on the panel's card) to this request's ``.env``
        file: the same checks, writer and sentences as :meth:`run`, without a new draw.

        ``bits`` should be the key's own size (the sentence names it). Raises only
        :class:`RequestRefused`, before anything is written.
        """
        request = self.check()
        if request.env_file is None:
            raise RequestRefused(
                f"saving needs {self._flag('env_file')} and {self._flag('env_name')}"
            )
        return request._run_checked(None, None, "", drawn=jwk)

    def _run_checked(
        self,
        present: Callable[[dict[str, str]], Any] | None,
        send: Callable[[dict[str, str]], object] | None,
        present_stage: str,
        *,
        drawn: dict[str, str] | None = None,
    ) -> KeyOutcome:
        k, sent, saved_path, stage = "", False, None, "generate the key"
        try:
            jwk = drawn if drawn is not None else create_secret_key(
                self.bits, self.format, alg=self.alg, use=self.use, kid=self.kid
            )
            k = jwk["k"]
            if send is not None:
                stage = f"send the key to {self.send_to}"
                send(jwk)
                sent = True
            if self.env_file is not None and self.env_name is not None:
                from xsk_nb.envfile import save_jwk_to_env

                stage = f"save the key to the {self._flag('env_file')}"
                saved_path = save_jwk_to_env(jwk, self.env_file, self.env_name, force=self.force)
            stage = "report where the key went"
            sentence = self._done_sentence(jwk, saved_path, sent)
            shown = None
            if present is not None:
                stage = present_stage
                shown = present(jwk)
            return KeyOutcome(
                jwk, shown=shown, sentence=sentence, saved_path=saved_path, sent=sent
            )
        except Exception as error:  # no error may leave this frame with a key in scope
            failure = self._failure_sentence(
                error, k, stage, sent=sent, saved=saved_path, kept=drawn is not None
            )
            return KeyOutcome(None, saved_path=saved_path, sent=sent, failure=failure)

    # --- what the user reads ----------------------------------------------------------------
    def _done_sentence(self, jwk: dict[str, str], saved: Path | None, sent: bool) -> str:
        """The one wording of "the key went there and is not shown", for every adapter."""
        what = f"key {key_label(jwk['k'])} ({self.bits} bits)"
        where = saved_as(self.env_name or "", saved) if saved is not None else ""
        if sent and saved is not None:
            return f"Sent {what} to {self.send_to} and saved it {where}; it is not shown here."
        if sent:
            return f"Sent {what} to {self.send_to}; it is not shown here."
        if saved is not None:
            from xsk_nb.envfile import IN_PAGE_MEMORY, in_page_memory

            if in_page_memory(saved):  # the browser-only site: no server, and not kept
                where += f", {IN_PAGE_MEMORY}"
            elif self.saved_on:
                where += f" {self.saved_on}"
            return f"Saved {what} {where}; it is not shown here."
        return ""

    def _failure_sentence(
        self,
        error: BaseException,
        k: str,
        stage: str,
        *,
        sent: bool,
        saved: Path | None,
        kept: bool = False,
    ) -> str:
        """One sentence for ``error`` raised at ``stage`` while the key ``k`` was in scope.

        Environment errors (disk full, unwritable folder, a symlink in the way) name their
        cause; the writers' and senders' own sentences (ValueError, TypeError, SendFailed)
        are kept; anything else is named by its type. A message that holds any piece of
        :data:`KEY_PIECE` characters of the key is replaced. ``kept``: the key was drawn
        before the request (:meth:`save`), stays where it was, and the caller says it was not
        saved, so the sentence names only the cause.
        """
        done = [
            *([f"sent to {self.send_to}"] if sent else []),
            *([f"saved to {saved}"] if saved is not None else []),
        ]
        if done:
            fate = f"; the key was {' and '.join(done)} but is not shown"
        else:
            fate = "" if kept else "; the key was discarded and not shown"
        if isinstance(error, OSError):
            return f"could not {stage}: {error.strerror or type(error).__name__}{fate}"
        text = str(error)
        keeps_text = isinstance(error, (ValueError, TypeError, SendFailed))
        if keeps_text and text and not holds_key_piece(text, k):
            return text.splitlines()[0] + ("" if stage == "generate the key" else fate)
        return f"could not {stage}: an unexpected {type(error).__name__} was raised{fate}"


def saved_as(env_name: str, path: Path) -> str:
    """Where a key was saved, as every "saved" sentence words it: ``as NAME in PATH (mode 600)``,
    the path resolved (a student need not know the kernel's folder) and the mode read from
    the file."""
    return f"as {env_name} in {path.resolve()} (mode {path.stat().st_mode & 0o777:o})"


def holds_key_piece(text: str, k: str, piece: int = KEY_PIECE) -> bool:
    """Whether ``text`` holds any ``piece``-character substring of the key ``k``."""
    return any(k[i : i + piece] in text for i in range(len(k) - piece + 1))
