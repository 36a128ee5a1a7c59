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
import re
import sys
from collections.abc import Sequence
from contextlib import suppress
from typing import Any, NoReturn

from xsk_nb.keygen import ALLOWED_BITS, bits_from_text, create_secret_key, key_bytes, one_of
from xsk_nb.strength import HMAC_ALGORITHMS

EXIT_ENVIRONMENT = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 128 + 13  # as a shell reports a process killed by SIGPIPE

_REVEAL_WARNING = (
    "xsk-nb: warning: the full secret key is printed; keep it out of logs and shared terminals."
)

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


class CommandError(Exception):
    """A refusal to report as one line on stderr with an exit status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


_OPTION_LIKE = re.compile(r"--?[A-Za-z][A-Za-z0-9-]{0,30}\Z")


def _shown_values(values: Sequence[str]) -> str:
    """Option-like words as they are; any other value only counted (it may be a pasted key)."""
    shown = [value for value in values if _OPTION_LIKE.match(value)]
    hidden = len(values) - len(shown)
    words = " ".join(shown)
    if hidden:
        words += f"{' and ' if shown else ''}{hidden} value(s), not shown"
    return words


def _without_values(message: str) -> str:
    """argparse's own messages, minus the user's values they would repeat."""
    choice = re.match(r"(?P<head>.*?)invalid choice: .* \(choose from (?P<allowed>.*)\)\Z", message)
    if choice:
        return f"{choice['head']}invalid choice (not shown); choose from {choice['allowed']}"
    ambiguous = re.match(r"ambiguous option: (?P<option>.*?) could match (?P<rest>.*)\Z", message)
    if ambiguous:
        option = ambiguous["option"].split("=", 1)[0]
        option = option if _OPTION_LIKE.match(option) else "an option (not shown)"
        return f"ambiguous option: {option} could match {ambiguous['rest']}"
    return message


class _OneLineParser(argparse.ArgumentParser):
    """One line on stderr and exit 2; never repeats a value the user typed (it may be a key)."""

    def parse_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {_shown_values(extras)}")
        return parsed

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"xsk-nb: error: {_without_values(message)}\n")


def _bits(text: str) -> int:
    try:
        return bits_from_text(text)
    except ValueError as error:  # argparse reports ArgumentTypeError's text as is
        raise argparse.ArgumentTypeError(str(error)) from None


def _add_key_options(
    parser: argparse.ArgumentParser, default_bits: int = 2048, default_alg: str | None = None
) -> None:
    default = f" (default {default_bits})"
    alg_default = f" (default {default_alg})" if default_alg else ""
    parser.add_argument(
        "-b",
        "--bits",
        type=_bits,
        default=default_bits,
        metavar="N",
        help=f"key size: {one_of(ALLOWED_BITS)}{default}; e.g. --bits 512",
    )
    parser.add_argument(
        "--alg",
        metavar="ALG",
        default=default_alg,
        help=f"add an alg member, {one_of(HMAC_ALGORITHMS)}{alg_default}, and check the size meets "
        "its minimum; e.g. --alg HS256",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="xsk-nb",
        description="Generate a secret key like XanoScript's security.create_secret_key and\n"
        "print it masked, with its statistics and HMAC fit; or print, save or rotate keys.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_key_options(parser)
    parser.add_argument(
        "--format",
        default="object",
        metavar="FORMAT",
        help='"object" (a JWK), the only format, as in XanoScript; e.g. --format object',
    )
    parser.add_argument(
        "--kid",
        nargs="?",
        const="random",
        metavar="KID",
        help='add a kid: "random" (the default when --kid is given alone), "thumbprint" '
        "(RFC 7638; leaks a hash of the key) or an id of your own; e.g. --kid or --kid v1",
    )
    parser.add_argument("--use", metavar="USE", help='add a use member, "sig"; e.g. --use sig')
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
        help="with --env-file: replace NAME if the file already sets it; e.g. --force",
    )
    _add_jwks_commands(parser)
    return parser


JWKS_EXAMPLES = """\
examples:
  xsk-nb jwks new keys.json                   one 512-bit HS256 key, keep 2 previous keys
  xsk-nb jwks new keys.json --bits 1024 --alg HS512 --keep 3
  xsk-nb jwks rotate keys.json                a new current key first; the oldest beyond
                                              --keep is dropped

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
        dest="command", metavar="COMMAND", title="commands", parser_class=_OneLineParser
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
        parser_class=_OneLineParser,
    )  # fmt: skip
    new = actions.add_parser(
        "new",
        help="write a new key set of one key to FILE; e.g. xsk-nb jwks new keys.json",
        description="Write a new key set of one key to FILE (mode 0600, atomic).",
        epilog=JWKS_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    new.add_argument("file", metavar="FILE", help="the key set file to create, e.g. keys.json")
    _add_key_options(new, default_bits=512, default_alg="HS256")
    new.add_argument(
        "--keep",
        type=_keep,
        default=2,
        metavar="N",
        help="previous keys a rotation keeps for verification (default 2); e.g. --keep 3",
    )
    new.add_argument("--force", action="store_true", help="replace FILE if it exists; e.g. --force")
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


def _jwks_new(parser: argparse.ArgumentParser, args: argparse.Namespace) -> str:
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
    return (
        f"Wrote a key set to {path} (mode 600): 1 key of {keyset.bits} bits, "
        f"{keyset.alg or 'no alg'}, kid {keyset.current['kid']}; rotations keep "
        f"{keyset.keep} previous key(s). No key is shown.\n"
    )


def _jwks_rotate(parser: argparse.ArgumentParser, args: argparse.Namespace) -> str:
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
    return (
        f"Rotated {path}: new current kid {after.current['kid']}; {len(after)} key(s), the "
        f"previous {len(after) - 1} still verify{gone}. No key is shown.\n"
    )


def _check_combinations(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if args.no_stats and not (args.reveal and args.json):
        parser.error("--no-stats goes with --reveal --json (it prints only the JWK); or use --jwk")
    if (args.env_file is None) != (args.env_name is None):
        parser.error(
            "--env-file and --env-name go together, e.g. --env-file .env --env-name JWT_SECRET"
        )
    if args.env_file is not None:
        for flag, given in (
            ("--reveal", args.reveal),
            ("--jwk", args.jwk),
            ("--k-only", args.k_only),
        ):
            if given:
                parser.error(f"{flag} does not go with --env-file: a saved key is never shown")
    elif args.force:
        parser.error("--force only applies with --env-file and --env-name")
    if args.k_only and (args.kid is not None or args.use is not None):
        parser.error("--k-only prints only k, so --kid and --use would be lost; use --jwk")


def _generate(parser: argparse.ArgumentParser, args: argparse.Namespace) -> dict[str, str]:
    try:
        return create_secret_key(args.bits, args.format, alg=args.alg, use=args.use, kid=args.kid)
    except (ValueError, TypeError) as error:
        parser.error(str(error))


def _key_command(parser: argparse.ArgumentParser, args: argparse.Namespace) -> str:
    """Run the default command; return the text for stdout (warnings go to stderr now)."""
    _check_combinations(parser, args)
    if args.env_file is not None:
        return _save_to_env(parser, args)
    jwk = _generate(parser, args)
    if args.jwk or args.k_only or args.reveal:
        _warn(_REVEAL_WARNING)
    if args.jwk or args.k_only:  # issue 18 item 4: a key file others can read
        from xsk_nb.private_file import readable_output_warning

        if (warning := readable_output_warning(sys.stdout)) is not None:
            _warn(warning)
    if args.k_only:
        return jwk["k"] + "\n"
    if args.jwk or args.no_stats:
        return json.dumps(jwk, separators=(",", ":")) + "\n"
    from xsk_nb.report import KeyReport

    report = KeyReport(jwk, revealed=args.reveal)
    if args.json:
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
    return report.to_text() + "\n"


def _save_to_env(parser: argparse.ArgumentParser, args: argparse.Namespace) -> str:
    from xsk_nb.envfile import check_env_target, save_jwk_to_env

    try:  # checked before a key is drawn, as the magic does
        check_env_target(args.env_file, args.env_name, force=args.force)
    except ValueError as error:
        parser.error(str(error))
    jwk = _generate(parser, args)
    try:
        path = save_jwk_to_env(jwk, args.env_file, args.env_name, force=args.force)
    except ValueError as error:
        raise CommandError(str(error), EXIT_ENVIRONMENT) from None
    bits = len(key_bytes(jwk)) * 8
    if args.json:
        record = {"saved": str(path), "name": args.env_name, "bits": bits, "mode": "0600"}
        return json.dumps(record) + "\n"
    return (
        f"Saved a {bits}-bit key as {args.env_name} in {path} (mode 600); the key is not shown.\n"
    )


def _warn(text: str) -> None:
    with suppress(OSError, ValueError):  # stderr closed too: nothing more can be said
        print(text, file=sys.stderr, flush=True)


def _write_stdout(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    with suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (bad arguments exit 2 via SystemExit)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        text = _run(parser, args)
        _write_stdout(text)
    except CommandError as error:
        _warn(f"xsk-nb: error: {error}")
        return error.status
    except BrokenPipeError:
        _silence_stdout()
        _warn("xsk-nb: error: the output was closed before everything was written (broken pipe)")
        return EXIT_BROKEN_PIPE
    except UnicodeEncodeError:
        _silence_stdout()
        encoding = getattr(sys.stdout, "encoding", None) or "unknown"
        _warn(
            f"xsk-nb: error: the output's encoding ({encoding}) cannot show the report; "
            "set PYTHONIOENCODING=utf-8"
        )
        return EXIT_ENVIRONMENT
    except OSError as error:
        from xsk_nb.private_file import os_error_sentence

        if error.errno == errno.EPIPE:  # pragma: no cover - BrokenPipeError above
            return EXIT_BROKEN_PIPE
        _silence_stdout()
        _warn(f"xsk-nb: error: could not write the output: {os_error_sentence(error)}")
        return EXIT_ENVIRONMENT
    except KeyboardInterrupt:
        _warn("xsk-nb: interrupted")
        return EXIT_INTERRUPTED
    return 0


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> str:
    handler: Any = getattr(args, "handler", None)
    if getattr(args, "command", None) == "jwks" and handler is None:  # pragma: no cover
        parser.error("jwks needs an action: new or rotate, e.g. xsk-nb jwks new keys.json")
    if handler is not None:
        only_top_level = ("json", "jwk", "k_only", "reveal", "no_stats", "env_file", "env_name",
                          "kid", "use")  # fmt: skip
        if any(getattr(args, name, None) not in (None, False) for name in only_top_level):
            parser.error(
                "the options of a single key do not apply to jwks; give jwks options after "
                "the action, e.g. xsk-nb jwks new keys.json --bits 1024"
            )
        return handler(parser, args)
    return _key_command(parser, args)


if __name__ == "__main__":
    raise SystemExit(main())
