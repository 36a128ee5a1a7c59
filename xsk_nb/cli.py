"""``xsk-nb`` / ``python -m xsk_nb``: the command-line adapter over the core and the report.

Exit statuses (documented in ``xsk-nb --help`` too):

- 0: done;
- 1: an environment error while writing (disk full, folder not writable, a file that changed
  under us), with one line on stderr and nothing half-written;
- 2: bad arguments, or a file named on the command line that cannot be used (a symlink, a
  FIFO, a file other users can read, a name already set), with one line on stderr;
- 130: interrupted (Ctrl-C);
- 141: the reader of the output went away (``xsk-nb | head -c1``), the status a shell reports
  for a process killed by SIGPIPE (128 + 13), so ``set -o pipefail`` scripts see the usual
  value; one line goes to stderr, no traceback.

The output is built in full before it is written, in one write, so a failed write leaves no
partial report behind a successful status.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import stat
import sys
from collections.abc import Sequence
from contextlib import suppress
from typing import Any

from xsk_nb import __version__
from xsk_nb.cli_parser import (
    EXIT_BROKEN_PIPE,
    EXIT_ENVIRONMENT,
    EXIT_INTERRUPTED,
    CommandError,
    OneLineParser,
    bits_type,
    write_stdout,
)
from xsk_nb.contract import (
    ALLOWED_ALGS,
    ALLOWED_BITS,
    ALLOWED_FORMATS,
    ALLOWED_USES,
    KID_ALLOWED_TEXT,
    KID_RANDOM,
    KID_THUMBPRINT,
    TERMINAL,
    one_of,
)
from xsk_nb.masking import REVEAL_WARNING_TERMINAL
from xsk_nb.request import SHOW_JWK, SHOW_K, SHOW_REPORT, KeyRequest, RequestRefused

EXAMPLES = """\
examples:
  xsk-nb                                      a 2048-bit key, masked, with its statistics
  xsk-nb --bits 512 --alg HS256 --kid         add alg and a random kid
  xsk-nb --bits 512 --jwk > key.json          only the JWK, for a file or a secret store
  xsk-nb --bits 512 --k-only                  only k, the base64url secret itself
  xsk-nb --env-file .env --env-name JWT_SECRET
                                              save the JWK into a dotenv file (mode 0600)
  xsk-nb jwks new keys.json --alg HS256       a key set for rotation (see xsk-nb jwks -h)

exit status: 0 done, 1 could not write (disk full, ...), 2 bad arguments or an unusable file,
130 interrupted, 141 the output was closed early (as SIGPIPE).
"""


#: Options written both before and after ``jwks ACTION``: each means one thing wherever it is
#: written (argparse would let a sub-command's defaults overwrite the top-level values, so
#: both parsers default to None, the sub-command's under ``sub_<name>``, and
#: :func:`_merge_shared` joins them).
_SHARED = {"bits": "--bits", "alg": "--alg", "force": "--force"}
#: The defaults of the shared options, per command.
_DEFAULTS: dict[str | None, dict[str, Any]] = {
    None: {"bits": 2048, "alg": None, "force": False},
    "new": {"bits": 512, "alg": "HS256", "force": False},
    "rotate": {"bits": None, "alg": None, "force": False},
    "remove": {"bits": None, "alg": None, "force": False},
}


def _add_key_options(parser: argparse.ArgumentParser, command: str | None = None) -> None:
    defaults = _DEFAULTS[command]
    prefix = "" if command is None else "sub_"
    alg_default = f" (default {defaults['alg']})" if defaults["alg"] else ""
    jwks_note = "; jwks new: 512" if command is None else ""
    parser.add_argument(
        "-b",
        "--bits",
        dest=f"{prefix}bits",
        type=bits_type,
        default=None,
        metavar="N",
        help=f"key size: {one_of(ALLOWED_BITS)} (default {defaults['bits']}{jwks_note}); "
        "e.g. --bits 512",
    )
    parser.add_argument(
        "--alg",
        dest=f"{prefix}alg",
        metavar="ALG",
        default=None,
        help=f"add an alg member, {one_of(ALLOWED_ALGS)}{alg_default}, and check the size "
        "meets its minimum; e.g. --alg HS256",
    )


def _merge_shared(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Give each shared option its one value: as written before or after the action (the same
    value twice is fine, two different values are refused), else the command's default."""
    action = getattr(args, "jwks_command", None)
    for name, flag in _SHARED.items():
        top = getattr(args, name, None)
        sub = getattr(args, f"sub_{name}", None)
        if top is not None and sub is not None and top != sub:
            parser.error(
                f"{flag} is given twice, before and after the action, with different values; "
                "give it once"
            )
        value = top if top is not None else sub
        if action == "rotate" and value not in (None, False):
            parser.error(
                f"{flag} does not apply to jwks rotate: the new key has the size and alg of "
                "the set; make a new set with xsk-nb jwks new FILE " + flag
            )
        if action == "remove" and value not in (None, False):
            parser.error(f"{flag} does not apply to jwks remove: it draws no key and needs none")
        setattr(args, name, _DEFAULTS[action][name] if value is None else value)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="xsk-nb",
        description="Generate a secret key like XanoScript's security.create_secret_key and\n"
        "print it masked, with its statistics and HMAC fit; or print, save or rotate keys.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {__version__}",
        help="print the version of xsk-nb and exit; e.g. xsk-nb --version",
    )
    _add_key_options(parser)
    parser.add_argument(
        "--format",
        default=None,
        metavar="FORMAT",
        help=f"{one_of(ALLOWED_FORMATS, quoted=True)} (a JWK), the only format, as in "
        "XanoScript; e.g. --format object",
    )
    parser.add_argument(
        "--kid",
        nargs="?",
        const="random",
        metavar="KID",
        help=f"add a kid: {KID_ALLOWED_TEXT}; given alone it is {KID_RANDOM!r}; "
        f"{KID_THUMBPRINT!r} is RFC 7638's hash, which leaks a hash of the key; e.g. --kid v1",
    )
    parser.add_argument(
        "--use",
        metavar="USE",
        help=f"add a use member, {one_of(ALLOWED_USES, quoted=True)}; e.g. --use sig",
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument(
        "--json", action="store_true", help="print the report as JSON, e.g. xsk-nb --json | jq ."
    )
    output.add_argument(
        "--jwk",
        action="store_true",
        help="print only the JWK as compact JSON (a warning goes to stderr); "
        "e.g. xsk-nb --jwk > key.json",
    )
    output.add_argument(
        "--k-only",
        action="store_true",
        help="print only k, the base64url secret (a warning goes to stderr); "
        "e.g. xsk-nb --k-only --bits 512",
    )
    parser.add_argument(
        "--reveal",
        action="store_true",
        help="show the full key in the report (a warning goes to stderr); e.g. --reveal --json",
    )
    parser.add_argument(
        "--no-stats",
        action="store_true",
        help="with --reveal --json: print only the JWK, as --jwk does; "
        "e.g. --reveal --json --no-stats",
    )
    parser.add_argument(
        "--env-file",
        metavar="PATH",
        help="save the JWK into this dotenv file (created or replaced atomically with mode "
        "0600; a symlink or a file others can read is refused); the key is never shown; "
        "e.g. --env-file .env --env-name JWT_SECRET",
    )
    parser.add_argument(
        "--env-name",
        metavar="NAME",
        help="the variable to set in --env-file, e.g. --env-name JWT_SECRET",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        default=None,
        help="with --env-file: replace NAME if the file already sets it; with jwks new: "
        "replace FILE; e.g. --force",
    )
    _add_jwks_commands(parser)
    return parser


JWKS_EXAMPLES = """\
examples:
  xsk-nb jwks new keys.json                   one 512-bit HS256 key, keep 2 previous keys
  xsk-nb jwks new keys.json --bits 1024 --alg HS512 --keep 3
  xsk-nb jwks rotate keys.json                a new current key first; the oldest beyond
                                              --keep is dropped
  xsk-nb jwks remove keys.json KID            after a leak: the key KID stops verifying now
                                              (rotate first if KID is the current key)

Sign with the first key (the current one); verify a token with the key whose kid matches its
kid header. Files are written atomically with mode 0600; no key is ever printed.
"""


def _keep(text: str) -> int:
    from xsk_nb.keyset import MAX_KEEP

    if not (text.isascii() and text.isdigit()) or len(text) > 3 or int(text) > MAX_KEEP:
        raise argparse.ArgumentTypeError(
            f"must be a whole number from 0 to {MAX_KEEP}, such as 2"
        )
    return int(text)


def _add_jwks_commands(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", title="commands", parser_class=OneLineParser
    )
    from xsk_nb.scan.cli import add_subparser as add_scan_command  # agreement A5

    add_scan_command(commands)
    jwks = commands.add_parser(
        "jwks",
        help="key sets (JWKS) for rotation; e.g. xsk-nb jwks new keys.json",
        description="Key sets for rotation: a JWKS of oct keys, newest first, each with a "
        "random kid.",
        epilog=JWKS_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = jwks.add_subparsers(
        dest="jwks_command", metavar="ACTION", title="actions", required=True,
        parser_class=OneLineParser,
    )  # fmt: skip
    new = actions.add_parser(
        "new",
        help="write a new key set of one key to FILE; e.g. xsk-nb jwks new keys.json",
        description="Write a new key set of one key to FILE (mode 0600, atomic).",
        epilog=JWKS_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    new.add_argument("file", metavar="FILE", help="the key set file to create, e.g. keys.json")
    _add_key_options(new, "new")
    new.add_argument(
        "--keep",
        type=_keep,
        default=2,
        metavar="N",
        help="previous keys a rotation keeps for verification (default 2); e.g. --keep 3",
    )
    new.add_argument(
        "--force",
        dest="sub_force",
        action="store_true",
        default=None,
        help="replace FILE if it exists; e.g. --force",
    )
    new.set_defaults(handler=_jwks_new)
    rotate = actions.add_parser(
        "rotate",
        help="add a new current key to FILE and drop the oldest beyond keep; "
        "e.g. xsk-nb jwks rotate keys.json",
        description="Add a new current key to FILE, keeping the previous keys up to --keep.",
        epilog=JWKS_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rotate.add_argument("file", metavar="FILE", help="the key set file to rotate, e.g. keys.json")
    rotate.add_argument(
        "--keep",
        type=_keep,
        metavar="N",
        help="change how many previous keys are kept (default: as the file says); e.g. --keep 1",
    )
    rotate.set_defaults(handler=_jwks_rotate)
    remove = actions.add_parser(
        "remove",
        help="remove the key KID from FILE at once (after a leak); "
        "e.g. xsk-nb jwks remove keys.json 3f2a...",
        description="Remove the key KID from FILE: tokens signed with it stop verifying now. "
        "The current key cannot be removed: rotate first.",
        epilog=JWKS_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    remove.add_argument("file", metavar="FILE", help="the key set file, e.g. keys.json")
    # dest is not "kid": the single-key options' --kid has that name.
    remove.add_argument(
        "remove_kid", metavar="KID", help="the kid of the key to remove; e.g. Xq3v"
    )
    remove.set_defaults(handler=_jwks_remove)
    from xsk_nb.inspect_key import add_subparser as add_inspect  # A5: own modules
    from xsk_nb.xano.cli import add_subparser as add_xano

    add_inspect(commands)
    add_xano(commands)


def _jwks_new(parser: argparse.ArgumentParser, args: argparse.Namespace) -> tuple[str, str]:
    from xsk_nb.keyset import KeySet
    from xsk_nb.private_file import as_path, check_private_target

    try:
        path = as_path(args.file, "key set file")
        if check_private_target(path, "key set file") is not None and not args.force:
            raise ValueError(
                f"key set file {str(path)!r} already exists; rotate it with xsk-nb jwks rotate, "
                "or use --force to replace it"
            )
        keyset = KeySet.new(bits=args.bits, alg=args.alg, keep=args.keep)
    except (ValueError, TypeError) as error:
        parser.error(str(error))
    try:
        keyset.save(path, replace=args.force)
    except ValueError as error:
        raise CommandError(str(error), EXIT_ENVIRONMENT) from None
    text = (
        f"Wrote a key set to {path} (mode 600): 1 key of {keyset.bits} bits, "
        f"{keyset.alg or 'no alg'}, kid {keyset.current['kid']}; rotations keep "
        f"{keyset.keep} previous key(s). No key is shown.\n"
    )
    return text, f"the key set was written to {path}"


def _jwks_rotate(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> tuple[str, str]:
    from xsk_nb.keyset import KeySet
    from xsk_nb.private_file import as_path, check_private_target

    try:
        path = as_path(args.file, "key set file")
        before = KeySet.load(path)
        check_private_target(path, "key set file")  # writable as a key file: refuse now
    except ValueError as error:
        parser.error(str(error))
    try:
        after = KeySet.rotate_file(path, keep=args.keep)
    except ValueError as error:
        raise CommandError(str(error), EXIT_ENVIRONMENT) from None
    kept = {jwk["kid"] for jwk in after.keys}
    dropped = [jwk["kid"] for jwk in before.keys if jwk["kid"] not in kept]
    gone = f"; dropped kid {', '.join(dropped)}" if dropped else ""
    text = (
        f"Rotated {path}: new current kid {after.current['kid']}; {len(after)} key(s), the "
        f"previous {len(after) - 1} still verify{gone}. No key is shown.\n"
    )
    return text, f"{path} was rotated (new current kid {after.current['kid']})"


def _jwks_remove(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> tuple[str, str]:
    from xsk_nb.keyset import KeySet
    from xsk_nb.private_file import as_path, check_private_target

    try:
        path = as_path(args.file, "key set file")
        KeySet.load(path).remove(args.remove_kid)  # refuse a bad kid before writing anything
        check_private_target(path, "key set file")
    except ValueError as error:
        parser.error(str(error))
    try:
        after = KeySet.remove_file(path, args.remove_kid)
    except ValueError as error:
        raise CommandError(str(error), EXIT_ENVIRONMENT) from None
    text = (
        f"Removed kid {args.remove_kid} from {path}: tokens signed with it no longer verify; "
        f"{len(after)} key(s) left, current kid {after.current['kid']}. No key is shown.\n"
    )
    return text, f"kid {args.remove_kid} was removed from {path}"


def _key_request(args: argparse.Namespace) -> KeyRequest:
    show = SHOW_K if args.k_only else SHOW_JWK if args.jwk else SHOW_REPORT
    return KeyRequest(
        bits=args.bits,
        format=args.format,
        alg=args.alg,
        use=args.use,
        kid=args.kid,
        reveal=args.reveal,
        show=show,
        env_file=args.env_file,
        env_name=args.env_name,
        force=args.force,
    )


def _key_command(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> tuple[str, str]:
    """Run the default command: the text for stdout (warnings go to stderr now), and what was
    done if that text cannot be printed."""
    if args.no_stats and not (args.reveal and args.json):  # the one rule of the CLI alone
        parser.error("--no-stats goes with --reveal --json (it prints only the JWK); or use --jwk")
    try:
        request = _key_request(args).check()  # every option, before a key is drawn
    except RequestRefused as error:
        parser.error(str(error))
    if request.env_file is None and (request.reveal or request.show != SHOW_REPORT):
        if request.show != SHOW_REPORT or args.json:  # the text report carries its own
            _warn(f"xsk-nb: warning: {REVEAL_WARNING_TERMINAL}")
        _warn_if_others_can_read_stdout()
    outcome = request.run(lambda jwk: _key_text(jwk, args), present_stage="print the key")
    if outcome.failure is not None:
        raise CommandError(outcome.failure, EXIT_ENVIRONMENT)
    if request.env_file is None:
        return str(outcome.shown), ""
    assert outcome.saved_path is not None
    done = f"the key was saved as {args.env_name} in {outcome.saved_path} (not shown)"
    if args.json:
        record = {
            "saved": str(outcome.saved_path),
            "name": args.env_name,
            "bits": request.bits,
            "mode": "0600",
            "label": outcome.label,
        }
        return json.dumps(record) + "\n", done
    return outcome.sentence + "\n", done


def _key_text(jwk: dict[str, str], args: argparse.Namespace) -> str:
    """What stdout shows of the key (called by the request inside its guarded frame)."""
    if args.env_file is not None:
        return ""
    if args.k_only:
        return jwk["k"] + "\n"
    if args.jwk or args.no_stats:
        return json.dumps(jwk, separators=(",", ":")) + "\n"
    from xsk_nb.report import KeyReport

    report = KeyReport(jwk, revealed=args.reveal, view=TERMINAL, drawn_with_secrets=True)
    if args.json:
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
    return report.to_text() + "\n"


def _warn_if_others_can_read_stdout() -> None:
    """WireGuard's ``wg genkey`` check: a key printed into a regular file that other users
    can read (the umask's usual 644) gets a warning naming the mode, before it is written."""
    try:
        info = os.fstat(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # not a real file (a test's capture)
        return
    mode = stat.S_IMODE(info.st_mode)
    if stat.S_ISREG(info.st_mode) and mode & 0o077:
        _warn(
            f"xsk-nb: warning: the output is a file others can read (mode {mode:o}); the key "
            "written to it is readable by them: chmod 600 it, or run umask 077 first"
        )


def _warn(text: str) -> None:
    with suppress(OSError, ValueError):  # stderr closed too: nothing more can be said
        print(text, file=sys.stderr, flush=True)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    with suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (bad arguments exit 2 via SystemExit).

    A closed stdout (``xsk-nb >&-``) is refused before anything is done, so no key file is
    written that the user is not told about. A write that fails later (disk full, a closed
    pipe) is one line on stderr that says what was done already: a key file written before
    its confirmation failed is kept (it is complete, and it may have replaced a variable).
    """
    if sys.stdout is None:
        _warn(
            "xsk-nb: error: the standard output is closed, so nothing could be shown; nothing "
            "was done (to discard the output, redirect it to /dev/null)"
        )
        return EXIT_ENVIRONMENT
    parser = build_parser()
    done = ""
    try:
        args = parser.parse_args(argv)
        text, done, *status = _run(parser, args)
        write_stdout(text)
    except CommandError as error:
        _warn(f"xsk-nb: error: {error}")
        return error.status
    except BrokenPipeError:
        _silence_stdout()
        _warn(
            "xsk-nb: error: the output was closed before everything was written (broken pipe)"
            + _already(done)
        )
        return EXIT_BROKEN_PIPE
    except UnicodeEncodeError:
        _silence_stdout()
        encoding = getattr(sys.stdout, "encoding", None) or "unknown"
        _warn(
            f"xsk-nb: error: the output's encoding ({encoding}) cannot show the report; "
            "set PYTHONIOENCODING=utf-8" + _already(done)
        )
        return EXIT_ENVIRONMENT
    except OSError as error:
        from xsk_nb.private_file import os_error_sentence

        _silence_stdout()
        if error.errno == errno.EPIPE:  # pragma: no cover - BrokenPipeError above
            return EXIT_BROKEN_PIPE
        _warn(
            f"xsk-nb: error: could not write the output: {os_error_sentence(error)}"
            + _already(done)
        )
        return EXIT_ENVIRONMENT
    except KeyboardInterrupt:
        _warn("xsk-nb: interrupted")
        return EXIT_INTERRUPTED
    return status[0] if status else 0  # a handler may end with a status (scan: 1, found)


def _already(done: str) -> str:
    return f"; {done}" if done else ""


#: Options of a single key, which jwks does not take (wherever they are written).
_SINGLE_KEY_ONLY = {
    "format": "--format", "kid": "--kid", "use": "--use", "json": "--json", "jwk": "--jwk",
    "k_only": "--k-only", "reveal": "--reveal", "no_stats": "--no-stats",
    "env_file": "--env-file", "env_name": "--env-name",
}  # fmt: skip


def _run(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> tuple[str, str] | tuple[str, str, int]:
    """The text for stdout, what was done if it cannot be printed ("" when nothing), and the
    exit status once it is printed when that is not 0 (``xsk-nb scan`` found a leak: 1)."""
    handler: Any = getattr(args, "handler", None)
    if getattr(args, "command", None) == "jwks" and handler is None:  # pragma: no cover
        parser.error(
            "jwks needs an action: new, rotate or remove, e.g. xsk-nb jwks new keys.json"
        )
    if handler is not None and getattr(args, "command", None) != "jwks":
        # inspect, xano, scan: their options are their own, written after the command
        for name, flag in {**_SHARED, **_SINGLE_KEY_ONLY}.items():
            if getattr(args, name, None) not in (None, False):
                parser.error(
                    f"{flag} before {args.command} does not apply to it; give "
                    f"{args.command}'s own options after it (xsk-nb {args.command} --help)"
                )
        result: tuple[str, str] | tuple[str, str, int] = handler(parser, args)
        return result
    if handler is not None:
        for name, flag in _SINGLE_KEY_ONLY.items():
            if getattr(args, name, None) not in (None, False):
                parser.error(
                    f"{flag} is an option of a single key and does not apply to jwks; e.g. "
                    "xsk-nb jwks new keys.json --bits 1024 --alg HS512"
                )
        _merge_shared(parser, args)
        return handler(parser, args)
    _merge_shared(parser, args)
    if args.format is None:
        args.format = ALLOWED_FORMATS[0]
    return _key_command(parser, args)


if __name__ == "__main__":
    raise SystemExit(main())
