"""``xsk-nb xano env-set``: a new key straight into a Xano environment variable, never shown.

Registered in :mod:`xsk_nb.cli` by :func:`add_subparser` (agreement A5). Exit status 0 done;
1 Xano or the network refused, or the env file could not be written (one line says whether
the variable was set); 2 bad options, no usable profile or token, or NAME already set without
``--force``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

EXAMPLES = """\
examples:
  xsk-nb xano env-set JWT_SECRET --tenant my-tenant
        a new 2048-bit key as JWT_SECRET of tenant my-tenant (profile's workspace)
  xsk-nb xano env-set JWT_SECRET --sandbox --bits 512 --alg HS256 --kid
  xsk-nb xano env-set JWT_SECRET --tenant my-tenant --force --also-env-file .env
        replace it, and save the same key to .env (mode 0600) to verify tokens locally

The profile is Xano's CLI's (~/.xano/credentials.yaml, XANO_CONFIG or -c; XANO_PROFILE or -p).
The token: XANO_TOKEN, else the profile's access_token, else a prompt when run in a terminal.
The key is sent only in the body of one HTTPS request: never on the command line, in a file
(unless --also-env-file) or in the output. In XanoScript: key = $env.NAME|json_decode.
"""


def add_subparser(subparsers: Any) -> None:
    """Register ``xano`` and its ``env-set`` action on the top-level parser's sub-commands."""
    from xsk_nb.cli_parser import OneLineParser, bits_type
    from xsk_nb.contract import ALLOWED_BITS, one_of
    from xsk_nb.strength import HMAC_ALGORITHMS

    xano = subparsers.add_parser(
        "xano",
        help="set a new key as a Xano environment variable, never shown; "
        "e.g. xsk-nb xano env-set JWT_SECRET --tenant my-tenant",
        description="Xano: set a new key as an environment variable through the Metadata API.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = xano.add_subparsers(
        dest="xano_command", metavar="ACTION", title="actions", required=True,
        parser_class=OneLineParser,
    )  # fmt: skip
    env_set = actions.add_parser(
        "env-set",
        help="draw a key and set it as NAME in a tenant or the sandbox; "
        "e.g. xsk-nb xano env-set JWT_SECRET --tenant my-tenant",
        description="Draw a key in memory and set it as the Xano environment variable NAME "
        "(the JWK as JSON text); it is never shown.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    env_set.add_argument(
        "xano_name", metavar="NAME", help="the variable to set, e.g. JWT_SECRET"
    )
    where = env_set.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--tenant", metavar="TENANT", help="set it in this tenant, e.g. --tenant my-tenant"
    )
    where.add_argument(
        "--sandbox", action="store_true", help="set it in your sandbox environment; e.g. --sandbox"
    )
    env_set.add_argument(
        "-p", "--profile", metavar="PROFILE",
        help="the Xano CLI profile (default: XANO_PROFILE, else the file's default); e.g. -p work",
    )  # fmt: skip
    env_set.add_argument(
        "-c", "--config", metavar="FILE",
        help="the Xano CLI credentials file (default: XANO_CONFIG, else "
        "~/.xano/credentials.yaml); e.g. -c ~/.xano/credentials.yaml",
    )  # fmt: skip
    env_set.add_argument(
        "-w", "--workspace", metavar="ID",
        help="the workspace id of the tenant (default: the profile's workspace), e.g. -w 1",
    )  # fmt: skip
    env_set.add_argument(
        "--instance", metavar="ORIGIN",
        help="the instance origin instead of the profile's, e.g. "
        "--instance https://x1a2-b3c4-d5e6.n7.xano.io (https only)",
    )  # fmt: skip
    env_set.add_argument(
        "-b", "--bits", dest="xano_bits", type=bits_type, default=2048, metavar="N",
        help=f"key size: {one_of(ALLOWED_BITS)} (default 2048); e.g. --bits 512",
    )  # fmt: skip
    env_set.add_argument(
        "--alg", dest="xano_alg", metavar="ALG",
        help=f"add an alg member, {one_of(HMAC_ALGORITHMS)}; e.g. --alg HS256",
    )  # fmt: skip
    env_set.add_argument(
        "--kid", dest="xano_kid", nargs="?", const="random", metavar="KID",
        help='add a kid: "random" (when given alone) or an id of your own; e.g. --kid v1',
    )  # fmt: skip
    env_set.add_argument(
        "--force", dest="xano_force", action="store_true",
        help="replace NAME if Xano (or --also-env-file) already has it; e.g. --force",
    )  # fmt: skip
    env_set.add_argument(
        "--also-env-file", metavar="PATH",
        help="also save the same key as NAME in this dotenv file (mode 0600), to verify "
        "tokens Xano signs; e.g. --also-env-file .env",
    )  # fmt: skip
    env_set.set_defaults(handler=run_env_set)


def _ask_token() -> str:
    if not sys.stdin.isatty():
        return ""
    import getpass

    return getpass.getpass("Xano Metadata API token (not shown): ")


def run_env_set(parser: argparse.ArgumentParser, args: argparse.Namespace) -> tuple[str, str]:
    """The ``env-set`` handler: the masked report for stdout and what was done, or a refusal."""
    from xsk_nb.cli_parser import EXIT_ENVIRONMENT, EXIT_USAGE, CommandError
    from xsk_nb.xano.env_set import set_from_options
    from xsk_nb.xano.metadata_api import XanoError

    try:
        text = set_from_options(
            name=args.xano_name, tenant=args.tenant, sandbox=args.sandbox, profile=args.profile,
            config=args.config, instance=args.instance, workspace=args.workspace,
            ask_token=_ask_token, bits=args.xano_bits, alg=args.xano_alg, kid=args.xano_kid,
            force=args.xano_force, also_env_file=args.also_env_file,
        )  # fmt: skip
        return text, f"the variable {args.xano_name} was set in Xano"
    except (ValueError, TypeError) as error:
        parser.error(str(error))
    except XanoError as error:
        raise CommandError(str(error), EXIT_USAGE if error.usage else EXIT_ENVIRONMENT) from None
    except (KeyboardInterrupt, CommandError):
        raise
    except Exception as error:  # a key may be in scope: no message of unknown origin
        raise CommandError(
            f"could not set the variable: an unexpected {type(error).__name__} was raised",
            EXIT_ENVIRONMENT,
        ) from None
