"""``%xs_secret_key``: the IPython adapter. It parses flags and calls the core and the report.

Every mistake a user can make is a ``UsageError`` with one sentence (IPython prints it without
a traceback), and every check runs before a key is drawn or a file is written.
"""

from __future__ import annotations

import keyword
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments
from IPython.display import display
from traitlets import Bool, Enum

from xsk_nb._ipython import parse_magic_line
from xsk_nb.envfile import check_env_target, save_jwk_to_env
from xsk_nb.keygen import (
    ALLOWED_BITS,
    ALLOWED_FORMATS,
    ALLOWED_USES,
    KID_ALLOWED_TEXT,
    bits_from_text,
    create_secret_key,
    describe_rejected,
    one_of,
)
from xsk_nb.report import KeyReport
from xsk_nb.strength import HMAC_ALGORITHMS


@magics_class
class XsMagics(Magics):
    """The kit's magics. Defaults are traits: ``%config XsMagics.default_bits = 512``."""

    default_bits = Enum(
        ALLOWED_BITS, default_value=2048, help="Key size used when --bits is not given."
    ).tag(config=True)
    plot = Bool(
        True, help="Include the small visual (where each statistic falls) in the report card."
    ).tag(config=True)

    @magic_arguments()
    @argument(
        "-b",
        "--bits",
        help=f"key size in bits: {one_of(ALLOWED_BITS)} (default: the "
        "XsMagics.default_bits trait, 2048)",
    )
    @argument(
        "--format",
        default=ALLOWED_FORMATS[0],
        help=f"output format: {one_of(ALLOWED_FORMATS, quoted=True)} (a JWK) is the only one",
    )
    @argument("--alg", help=f"add an alg member: {one_of(HMAC_ALGORITHMS)}")
    @argument(
        "--kid",
        nargs="?",
        const="random",
        help=f'add a kid: {KID_ALLOWED_TEXT}; given without a value it is "random"; '
        '"thumbprint" is RFC 7638\'s hash of the key, which leaks a hash of it',
    )
    @argument("--use", help=f"add a use member: {one_of(ALLOWED_USES, quoted=True)}")
    @argument(
        "--reveal",
        action="store_true",
        help="show the full key (it is then saved with the notebook)",
    )
    @argument(
        "-o",
        "--output",
        action="store_true",
        help="return the report object (masked "
        "repr) as the cell's value instead of only displaying it",
    )
    @argument(
        "-v", "--variable", metavar="NAME", help="store the report in NAME without displaying it"
    )
    @argument(
        "--env-file",
        metavar="PATH",
        help="write the JWK as compact JSON into this dotenv "
        "file (created with mode 0600); the key is never displayed",
    )
    @argument("--env-name", metavar="NAME", help="variable name for --env-file, e.g. JWT_SECRET")
    @argument("--force", action="store_true", help="with --env-file: replace an existing NAME")
    @argument(
        "--copy",
        action="store_true",
        help="show only Copy buttons (JWK or k, to the clipboard) and the masked report",
    )
    @line_magic
    def xs_secret_key(self, line: str) -> KeyReport | None:
        """Generate a secret key like XanoScript's security.create_secret_key and show its report.

        The key is masked in every output unless --reveal is given.

        Examples::

          %xs_secret_key --bits 512
              a 512-bit key's report: masked JWK, statistics, HMAC fit
          %xs_secret_key -b 2048 --alg HS256 --kid -v signing_key
              keep the report in signing_key, shown nowhere; signing_key.jwk() is the JWK
          %xs_secret_key --bits 512 --env-file .env --env-name JWT_SECRET
              write the JWK into .env (mode 0600 when created); the key is never displayed

        The default size is a setting: %config XsMagics.default_bits = 4096
        """
        args = parse_magic_line(self.xs_secret_key, line)
        bits = self.default_bits if args.bits is None else _usage(bits_from_text, args.bits)
        if args.variable is not None and not is_variable_name(args.variable):
            raise UsageError(
                "-v takes a Python variable name that is not a keyword, such as my_key; "
                f"got {describe_rejected(args.variable)}"
            )
        if (args.env_file is None) != (args.env_name is None):
            raise UsageError(
                "--env-file and --env-name go together: give both, e.g. "
                "--env-file .env --env-name JWT_SECRET"
            )
        if args.env_file is not None:
            if args.reveal:
                raise UsageError(
                    "--reveal and --env-file do not go together: a key saved to a "
                    "file is never displayed"
                )
            try:
                _usage(check_env_target, args.env_file, args.env_name, force=args.force)
            except OSError as error:  # an unreadable file, a folder we may not list, ...
                raise UsageError(
                    f"could not read the --env-file: {error.strerror or type(error).__name__}"
                ) from None
        elif args.force:
            raise UsageError("--force only applies with --env-file and --env-name")
        # Every argument is checked: from here a key exists. Whatever goes wrong while it is in
        # scope becomes one sentence, raised from this frame, which holds no key (a verbose
        # traceback prints the locals of every frame it shows, and %tb can show it later).
        report, shown, refusal = self._generate(args, bits)
        if refusal is not None:
            raise UsageError(refusal)
        if report is not None and args.output:
            return report
        if shown is not None:
            view, raw = shown  # the report's rendered bundle (raw), or the --copy widget
            if raw and isinstance(view, tuple):  # (data, metadata): revealed, agreement A2
                display(view[0], metadata=view[1], raw=True)
            else:
                display(view, raw=raw)
        return None

    def _generate(
        self, args: Any, bits: int
    ) -> tuple[KeyReport | None, tuple[Any, bool] | None, str | None]:
        """Draw the key, save it if asked, build and render what the cell shows.

        Returns ``(report, (what to display, whether it is a raw bundle) or None, refusal)``.
        What is shown (the report's rendered bundle, or the --copy view) is built here, so a
        failure while building it is caught here too: the refusal is a sentence with no key
        in it, and no exception leaves this frame.
        """
        k, saved, stage = "", False, "generate the key"
        try:
            jwk = create_secret_key(bits, args.format, alg=args.alg, use=args.use, kid=args.kid)
            k = jwk["k"]
            if args.env_file is not None:
                stage = "save the key to the --env-file"
                path = save_jwk_to_env(jwk, args.env_file, args.env_name, force=args.force)
                saved = True
                stage = "report where the key was saved"
                print(
                    f"Saved the key as {args.env_name} in {path} (mode "
                    f"{path.stat().st_mode & 0o777:o}); it is not shown here."
                )
            stage = "build the key's report"
            report = KeyReport(jwk, revealed=args.reveal, plot=self.plot, drawn_with_secrets=True)
            if args.variable is not None or args.output:
                report.stats  # noqa: B018 -- computed here, so a failure is caught here
            if args.variable is not None:
                self.shell.user_ns[args.variable] = report
                return None, None, None
            if args.output:
                return report, None, None
            if args.copy:  # the key reaches the clipboard in a message, never an output
                from xsk_nb.key_panel import copy_view

                return report, (copy_view(report), False), None
            return report, (report._repr_mimebundle_(), True), None
        except Exception as error:  # no error may leave this frame with a key in scope
            return None, None, _refusal(error, k, stage=stage, saved=saved)


def is_variable_name(name: str) -> bool:
    """True for a name ``-v`` may bind: an identifier, not a keyword (``class``, ``None``)."""
    return name.isidentifier() and not keyword.iskeyword(name)


def _refusal(error: BaseException, k: str, *, stage: str, saved: bool) -> str:
    """One sentence for ``error`` raised at ``stage`` while the key ``k`` was in scope.

    Environment errors (disk full, unwritable folder, a symlink in the way) name their cause;
    the .env writer's own ValueError/TypeError sentences are kept; anything else is named by
    its type. A message that holds any 8-character piece of the key is replaced.
    """
    fate = (
        "the key was saved to the --env-file but is not shown"
        if saved
        else "the key was discarded and not shown"
    )
    if isinstance(error, OSError):
        return f"could not {stage}: {error.strerror or type(error).__name__}; {fate}"
    text = str(error)
    if isinstance(error, (ValueError, TypeError)) and text and _holds_no_piece(text, k):
        return text.splitlines()[0]
    return f"could not {stage}: an unexpected {type(error).__name__} was raised; {fate}"


def _holds_no_piece(text: str, k: str, piece: int = 8) -> bool:
    return not any(k[i : i + piece] in text for i in range(len(k) - piece + 1))


def _usage(function: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a core function, turning its ValueError/TypeError into a one-line UsageError."""
    try:
        return function(*args, **kwargs)
    except (ValueError, TypeError) as error:
        raise UsageError(str(error)) from None
