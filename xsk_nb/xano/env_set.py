"""Draw a key and set it as a Xano environment variable, never showing it.

One code path for ``xsk-nb xano env-set`` and ``%xs_xano_env``. Every check that can fail
runs before the key is drawn (the name, the key options, the ``--also-env-file`` target, and
whether Xano already has the name); then the key is drawn in memory, sent in the body of one
PATCH request, optionally saved to a dotenv file (mode 0600, through :mod:`xsk_nb.envfile`),
and reported masked: its size, its session label (:func:`xsk_nb.masking.masked`) and the line
to use in XanoScript.

The variable holds the JWK as compact JSON text, read in XanoScript with
``$env.NAME|json_decode``; why is in ``docs/xano-key-form.md`` (:data:`KEY_FORM_NOTE`).
Python strings cannot be wiped, so the key stays in this process's memory until it is
garbage-collected; nothing here keeps a reference to it after returning.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

from xsk_nb.xano.metadata_api import MetadataClient, Scope, XanoError

#: The XanoScript expression that reads a variable this module set.
XANOSCRIPT_KEY_LINE = "key = $env.{name}|json_decode"
KEY_FORM_NOTE = (
    "the variable holds the JWK as JSON text, which json_decode turns back into the JWK object "
    "Xano's jws_encode documents (docs/xano-key-form.md)"
)


def draw_key(bits: int, alg: str | None = None, kid: str | None = None) -> dict[str, str]:
    """The one place this command draws a key (the lead routes it through ``KeyRequest``)."""
    from xsk_nb.keygen import create_secret_key

    return create_secret_key(bits, "object", alg=alg, kid=kid)


def key_value(jwk: dict[str, Any]) -> str:
    """The text sent as the variable's value: the JWK as compact JSON."""
    return json.dumps(jwk, separators=(",", ":"))


def check_key_options(bits: int, alg: str | None, kid: str | None) -> None:
    """The generator's own checks, run before anything is sent (one ``ValueError``)."""
    from xsk_nb.contract import validate_bits, validate_kid
    from xsk_nb.keygen import validate_alg

    validate_alg(alg, validate_bits(bits))
    validate_kid(kid)


def check_name(name: object) -> str:
    """A variable name by the kit's one rule (that of ``--env-name``); the name is not echoed."""
    from xsk_nb.envfile import _check_name  # the one home of the rule (A1 moves it)

    return _check_name(name)


def set_new_key(
    client: MetadataClient,
    scope: Scope,
    name: str,
    *,
    bits: int = 2048,
    alg: str | None = None,
    kid: str | None = None,
    force: bool = False,
    also_env_file: str | os.PathLike[str] | None = None,
) -> str:
    """Set ``name`` in ``scope`` to a new key; return the masked report (several lines).

    ``ValueError``: a refused option or ``--also-env-file`` target (nothing sent).
    ``XanoError``: Xano or the network refused (``usage`` true for an existing name without
    ``force``); the message says whether the variable was set.
    """
    check_name(name)
    check_key_options(bits, alg, kid)
    if also_env_file is not None:
        from xsk_nb.envfile import check_env_target

        check_env_target(also_env_file, name, force=force)
    existed = name in client.env_names(scope)
    if existed and not force:
        raise XanoError(
            f"{name} is already set in {scope.describe()}; use --force to replace it (its "
            "current value is then gone, and tokens signed with it stop verifying)",
            usage=True,
        )
    return _draw_send_report(client, scope, name, bits, alg, kid, force, existed, also_env_file)


def _draw_send_report(
    client: MetadataClient,
    scope: Scope,
    name: str,
    bits: int,
    alg: str | None,
    kid: str | None,
    force: bool,
    existed: bool,
    also_env_file: str | os.PathLike[str] | None,
) -> str:
    from xsk_nb.masking import masked

    jwk = draw_key(bits, alg, kid)
    client.set_env(scope, name, key_value(jwk))
    details = "".join(
        f", {label} {jwk[member]}" for member, label in (("alg", "alg"), ("kid", "kid"))
        if member in jwk
    )
    verb = "Replaced" if existed else "Set"
    lines = [
        f"{verb} {name} in {scope.describe()} on {client.origin}: a new {bits}-bit key "
        f"{masked(jwk['k'])}{details}. It was sent only in the request's body; it is not shown.",
        f"In XanoScript: {XANOSCRIPT_KEY_LINE.format(name=name)}  ({KEY_FORM_NOTE})",
    ]
    if also_env_file is not None:
        from xsk_nb.envfile import save_jwk_to_env

        failure = None
        try:
            path = save_jwk_to_env(jwk, also_env_file, name, force=force)
        except ValueError as error:
            failure = str(error)
        if failure is not None:
            del jwk
            raise XanoError(
                f"{name} was set in Xano, but the same key could not be saved to the env file: "
                f"{failure}; run again with --force to set a new key in both"
            )
        lines.append(f"The same key is saved as {name} in {path} (mode 600); it is not shown.")
    return "\n".join(lines) + "\n"


def connect(
    *,
    profile: str | None = None,
    config: str | os.PathLike[str] | None = None,
    instance: str | None = None,
    workspace: str | None = None,
    ask_token: Callable[[], str] | None = None,
) -> tuple[MetadataClient, str | None]:
    """A client for the chosen instance, and the workspace id (``None`` if none is known).

    The Xano CLI profile is read unless ``instance`` is given with no profile or credentials
    file named (by option or ``XANO_PROFILE``/``XANO_CONFIG``). The token: ``XANO_TOKEN``, the
    profile's ``access_token``, else ``ask_token()`` (a ``getpass`` prompt) when given.
    One ``ValueError`` sentence for each thing missing.
    """
    from xsk_nb.xano import profile as profiles

    named = profile or config or os.environ.get(profiles.PROFILE_ENVIRONMENT_VARIABLE) or (
        os.environ.get(profiles.CONFIG_ENVIRONMENT_VARIABLE)
    )
    chosen = profiles.load_profile(profile, config) if instance is None or named else None
    origin = instance if instance is not None else chosen.instance_origin  # type: ignore[union-attr]
    if workspace is None and chosen is not None:
        workspace = chosen.workspace
    token = profiles.token_from_environment(chosen)
    if not token and ask_token is not None:
        token = ask_token()
    if not token:
        raise ValueError(
            f"no Xano token: set {profiles.TOKEN_ENVIRONMENT_VARIABLE} (e.g. from xano profile "
            "token), or give the profile an access_token"
        )
    return MetadataClient(origin, token), workspace


def set_from_options(
    *,
    name: str,
    tenant: str | None,
    sandbox: bool,
    profile: str | None = None,
    config: str | os.PathLike[str] | None = None,
    instance: str | None = None,
    workspace: str | None = None,
    ask_token: Callable[[], str] | None = None,
    bits: int = 2048,
    alg: str | None = None,
    kid: str | None = None,
    force: bool = False,
    also_env_file: str | os.PathLike[str] | None = None,
) -> str:
    """What ``xsk-nb xano env-set`` and ``%xs_xano_env`` do with their options: check where
    to set it, connect, and :func:`set_new_key`; the masked report, or ValueError/XanoError."""
    from xsk_nb.xano.metadata_api import check_place, check_scope

    check_place(tenant, sandbox)
    client, known_workspace = connect(
        profile=profile, config=config, instance=instance, workspace=workspace,
        ask_token=ask_token,
    )  # fmt: skip
    scope = check_scope(tenant, known_workspace, sandbox)
    return set_new_key(
        client, scope, name, bits=bits, alg=alg, kid=kid, force=force,
        also_env_file=also_env_file,
    )  # fmt: skip
