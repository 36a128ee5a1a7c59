"""``%xs_xano_env``: the notebook twin of ``xsk-nb xano env-set`` (same code path, same checks).

The token comes from ``XANO_TOKEN``, the Xano CLI profile, or a ``getpass`` prompt (Jupyter
shows a password box; what is typed is not saved in the notebook). The key is never shown and
nothing is returned: the cell prints the masked label and the XanoScript line. Every refusal
is a ``UsageError`` with one sentence, raised from a frame that holds no key.
"""

from __future__ import annotations

from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments

from xsk_nb._ipython import parse_magic_line
from xsk_nb.contract import ALLOWED_BITS, one_of
from xsk_nb.strength import HMAC_ALGORITHMS


def _ask_token() -> str:
    import getpass

    return getpass.getpass("Xano Metadata API token (not shown, not saved): ")


@magics_class
class XanoMagics(Magics):
    """``%xs_xano_env NAME (--tenant T | --sandbox)``: a new key into a Xano variable."""

    @magic_arguments()
    @argument("name", metavar="NAME", help="the variable to set, e.g. JWT_SECRET")
    @argument("--tenant", metavar="TENANT", help="set it in this tenant, e.g. --tenant my-tenant")
    @argument("--sandbox", action="store_true", help="set it in your sandbox environment")
    @argument("-p", "--profile", metavar="PROFILE", help="the Xano CLI profile to use")
    @argument("-c", "--config", metavar="FILE", help="the Xano CLI credentials file")
    @argument("-w", "--workspace", metavar="ID", help="the tenant's workspace id")
    @argument("--instance", metavar="ORIGIN", help="the https:// instance origin")
    @argument("-b", "--bits", default="2048", help=f"key size: {one_of(ALLOWED_BITS)}")
    @argument("--alg", help=f"add an alg member: {one_of(HMAC_ALGORITHMS)}")
    @argument("--kid", nargs="?", const="random", help='add a kid ("random" when given alone)')
    @argument("--force", action="store_true", help="replace NAME if it is already set")
    @argument("--also-env-file", metavar="PATH", help="also save the key here (mode 0600)")
    @line_magic
    def xs_xano_env(self, line: str) -> None:
        """Draw a key and set it as a Xano environment variable; it is never shown.

        Examples::

          %xs_xano_env JWT_SECRET --tenant my-tenant
          %xs_xano_env JWT_SECRET --sandbox --bits 512 --alg HS256 --kid
          %xs_xano_env JWT_SECRET --tenant my-tenant --also-env-file .env

        In XanoScript the variable is read as: key = $env.JWT_SECRET|json_decode
        """
        args = parse_magic_line(self.xs_xano_env, line)
        text, failure = _set_key(args)
        if failure is not None:
            raise UsageError(failure)
        print(text, end="")


def _set_key(args: Any) -> tuple[str, str | None]:
    """``(report, None)`` or ``("", one sentence)``; no exception leaves with a key in scope."""
    from xsk_nb.contract import bits_from_text
    from xsk_nb.xano.env_set import set_from_options
    from xsk_nb.xano.metadata_api import XanoError

    try:
        text = set_from_options(
            name=args.name, tenant=args.tenant, sandbox=args.sandbox, profile=args.profile,
            config=args.config, instance=args.instance, workspace=args.workspace,
            ask_token=_ask_token, bits=bits_from_text(args.bits), alg=args.alg, kid=args.kid,
            force=args.force, also_env_file=args.also_env_file,
        )  # fmt: skip
    except (ValueError, TypeError, XanoError) as error:
        return "", str(error).splitlines()[0]
    except Exception as error:  # a key may be in scope: no message of unknown origin
        return "", f"could not set the variable: an unexpected {type(error).__name__} was raised"
    return text, None

