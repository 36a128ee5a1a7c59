"""Draw a key and set it as a Xano environment variable, never showing it.

One code path for ``xsk-nb xano env-set`` and ``%xs_xano_env``. Every check that can fail
runs before the key is drawn (the name, the key options, the ``--also-env-file`` target, and
whether Xano already has the name); then a :class:`xsk_nb.request.KeyRequest` draws the key in
memory, sends it in the body of one PATCH request, optionally saves it to a dotenv file (mode
0600, through :mod:`xsk_nb.envfile`), and it is reported masked: its size, its session label
(:func:`xsk_nb.masking.masked`) and the line to use in XanoScript.

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


def key_value(jwk: dict[str, Any]) -> str:
    """The text sent as the variable's value: the JWK as compact JSON."""
    return json.dumps(jwk, separators=(",", ":"))


def check_name(name: object) -> str:
    """A variable name by the kit's one rule (that of ``--env-name``); the name is not echoed."""
    from xsk_nb.contract import validate_env_name

    return validate_env_name(name)


#: ``--also-env-file`` is this command's ``--env-file`` (in the request's sentences).
FLAGS = {"env_file": "--also-env-file"}


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

    The key is a :class:`xsk_nb.request.KeyRequest`'s: its checks (the key options, the
    ``--also-env-file`` target) run before Xano is asked anything, it is drawn only once Xano
    has said the name is free (or ``force``), sent by the request's ``send`` (one PATCH), then
    saved to ``--also-env-file``.

    ``ValueError``: a refused option or ``--also-env-file`` target (nothing sent).
    ``XanoError``: Xano or the network refused (``usage`` true for an existing name without
    ``force``), or the key could not be saved; the message says whether the variable was set.
    """
    from xsk_nb.request import KeyRequest

    check_name(name)
    request = KeyRequest(
        bits=bits, alg=alg, kid=kid, force=force, env_file=also_env_file,
        env_name=name if also_env_file is not None else None,
        send_to=f"Xano as {name} in {scope.describe()}", flags=FLAGS,
    ).check()  # fmt: skip
    existed = name in client.env_names(scope)
    if existed and not force:
        raise XanoError(
            f"{name} is already set in {scope.describe()}; use --force to replace it (its "
            "current value is then gone, and tokens signed with it stop verifying)",
            usage=True,
        )
    verb = "Replaced" if existed else "Set"
    where = f"{name} in {scope.describe()} on {client.origin}"

    def send(jwk: dict[str, str]) -> None:
        from xsk_nb.request import SendFailed

        try:
            client.set_env(scope, name, key_value(jwk))
        except XanoError as error:  # its sentence says whether the variable was set
            raise SendFailed(str(error)) from None

    outcome = request.run(
        lambda jwk: _report(jwk, f"{verb} {where}", request.bits, name), send=send,
        present_stage="report the key",
    )  # fmt: skip
    failure, sent, report, saved = outcome.failure, outcome.sent, outcome.shown, outcome.saved_path
    del outcome  # it holds the key: nothing below runs with it in scope
    if failure is not None:
        if sent and saved is None:  # set in Xano, not saved
            failure += "; run again with --force to set a new key in both"
        raise XanoError(failure)
    if saved is not None:
        from xsk_nb.request import saved_as

        report += f"The same key is saved {saved_as(name, saved)}; it is not shown.\n"
    return str(report)


def _report(jwk: dict[str, str], done: str, bits: int, name: str) -> str:
    """What was set, masked: the key's size, label and members, and the XanoScript line."""
    from xsk_nb.masking import masked

    details = "".join(
        f", {label} {jwk[member]}" for member, label in (("alg", "alg"), ("kid", "kid"))
        if member in jwk
    )
    lines = [
        f"{done}: a new {bits}-bit key {masked(jwk['k'])}{details}. It was sent only in the "
        "request's body; it is not shown.",
        f"In XanoScript: {XANOSCRIPT_KEY_LINE.format(name=name)}  ({KEY_FORM_NOTE})",
    ]
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
