"""``xsk-nb`` / ``python -m xsk_nb``: the command-line adapter over the core and the report.

Bad arguments exit with status 2 and one line on stderr, no traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import NoReturn

from xsk_nb.keygen import bits_from_text, create_secret_key
from xsk_nb.report import KeyReport


class _OneLineParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _bits(text: str) -> int:
    try:
        return bits_from_text(text)
    except ValueError as error:  # argparse reports ArgumentTypeError's text as is
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="xsk-nb",
        description="Generate a secret key like XanoScript's security.create_secret_key and "
        "print it masked, with its statistics and HMAC fit.",
    )
    parser.add_argument(
        "-b",
        "--bits",
        type=_bits,
        default=2048,
        help="key size: 512, 1024, 2048 or 4096 (default 2048)",
    )
    parser.add_argument("--format", default="object", help='"object" (a JWK), the only format')
    parser.add_argument("--alg", help="add an alg member: HS256, HS384 or HS512")
    parser.add_argument(
        "--kid",
        nargs="?",
        const="random",
        help='add a kid: "random" (default when given alone), "thumbprint" '
        "(RFC 7638; leaks a hash of the key) or an id of your own",
    )
    parser.add_argument("--use", help='add a use member: "sig"')
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument(
        "--reveal", action="store_true", help="print the full key (a warning goes to stderr)"
    )
    parser.add_argument(
        "--no-stats",
        action="store_true",
        help="with --reveal --json: print only the JWK, for piping into a file",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.no_stats and not (args.reveal and args.json):
        parser.error("--no-stats goes with --reveal --json (it prints only the JWK)")
    try:
        jwk = create_secret_key(args.bits, args.format, alg=args.alg, use=args.use, kid=args.kid)
    except (ValueError, TypeError) as error:
        parser.error(str(error))
    report = KeyReport(jwk, revealed=args.reveal)
    if args.reveal:
        print(
            "xsk-nb: warning: the full secret key is printed; keep it out of logs and "
            "shared terminals.",
            file=sys.stderr,
        )
    if args.no_stats:
        print(json.dumps(report.jwk()))
    elif args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(report.to_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
