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
from xsk_nb.contract import (
    ALLOWED_ALGS,
    ALLOWED_BITS,
    ALLOWED_FORMATS,
    ALLOWED_USES,
    KID_ALLOWED_TEXT,
    bits_from_text,
    describe_rejected,
    one_of,
)
from xsk_nb.optional import MissingExtra, optional_dependencies
from xsk_nb.report import KeyReport
from xsk_nb.request import KeyRequest


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
    @argument("--alg", help=f"add an alg member: {one_of(ALLOWED_ALGS)}")
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
        help="show Copy buttons (JWK or k, to the clipboard) and the masked report; with "
        "-v NAME the report is kept in NAME too; not with -o or --reveal",
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
        _check_copy(args)
        request = KeyRequest(
            bits=bits,
            format=args.format,
            alg=args.alg,
            use=args.use,
            kid=args.kid,
            reveal=args.reveal,
            env_file=args.env_file,
            env_name=args.env_name,
            force=args.force,
        )
        request = _usage(request.check)  # every option, before a key is drawn
        copy_view = _copy_view() if args.copy else None  # a missing extra, before a draw
        # From here a key exists: whatever goes wrong while it is in scope comes back as one
        # sentence (outcome.failure), and no exception leaves run() with the key in its frame.
        outcome = request.run(lambda jwk: self._present(jwk, args, copy_view))
        if outcome.failure is not None:
            raise UsageError(outcome.failure)
        if outcome.sentence:
            print(outcome.sentence)
        if args.output and args.variable is None:
            return outcome.shown
        if outcome.shown is not None:
            view, raw, metadata = outcome.shown
            display(view, raw=raw, metadata=metadata)
        return None

    def _present(self, jwk: dict[str, str], args: Any, copy_view: Any) -> Any:
        """Build what the cell shows (called by the request inside its guarded frame).

        Returns the report for -o, None for -v alone, else ``(what to display, whether it is
        a raw bundle, its metadata)``: a revealed key's output carries
        :data:`~xsk_nb.contract.REVEALED_METADATA`, so scanners and save guards find it.
        """
        report = KeyReport(jwk, revealed=args.reveal, plot=self.plot, drawn_with_secrets=True)
        if args.variable is not None or args.output:
            report.stats  # noqa: B018 -- computed here, so a failure is caught here
        if args.variable is not None:  # -v wins over -o, as before: stored, not returned
            assert self.shell is not None
            self.shell.user_ns[args.variable] = report
            if copy_view is None:
                return None
        elif args.output:
            return report
        if copy_view is not None:  # the key reaches the clipboard in a message, never an output
            return copy_view(report), False, None
        bundle = report._repr_mimebundle_()  # (data, metadata) when revealed: agreement A2
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, None)
        return data, True, metadata


def is_variable_name(name: str) -> bool:
    """True for a name ``-v`` may bind: an identifier, not a keyword (``class``, ``None``)."""
    return name.isidentifier() and not keyword.iskeyword(name)


def _check_copy(args: Any) -> None:
    """What ``--copy`` goes with: ``-v NAME`` (Copy buttons shown, the report kept in NAME),
    ``--env-file`` (saved, then Copy buttons); not ``-o`` or ``--reveal``."""
    if not args.copy:
        return
    if args.output:
        raise UsageError(
            "--copy and -o do not go together: -o returns the report instead of showing "
            "anything, --copy shows Copy buttons; to keep the report too, use --copy -v NAME"
        )
    if args.reveal:
        raise UsageError(
            "--copy and --reveal do not go together: --copy keeps the key out of the "
            "notebook, --reveal prints it into an output saved with it; give one of them"
        )


def _copy_view() -> Any:
    """``key_panel.copy_view``, or one sentence naming the extra when ipywidgets/anywidget
    are missing (checked before a key is drawn)."""
    try:
        with optional_dependencies("%xs_secret_key --copy"):
            from xsk_nb.key_panel import copy_view
    except MissingExtra as error:
        raise UsageError(str(error)) from None
    return copy_view


def _usage(function: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a core function, turning its ValueError/TypeError into a one-line UsageError."""
    try:
        return function(*args, **kwargs)
    except (ValueError, TypeError) as error:
        raise UsageError(str(error)) from None
