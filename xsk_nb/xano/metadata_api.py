"""The Xano Metadata API requests the kit makes: list a scope's variable names, set one.

The same requests as Xano's own CLI (``@xano/cli`` 1.2.0, xano-inc/cli at ``0399582``,
``src/commands/{tenant,sandbox}/env/{list,set}/index.ts``), with the same headers
(``accept: application/json``, ``Authorization: Bearer <token>``, and ``Content-Type:
application/json`` on the PATCH):

- tenant: ``GET {origin}/api:meta/workspace/{ws}/tenant/{tenant}/env_key`` answers
  ``{"env": [{"name": ...}, ...]}``; ``PATCH {origin}/api:meta/workspace/{ws}/tenant/{tenant}/
  env/{NAME}`` with ``{"env": {"name": NAME, "value": VALUE}}`` creates or updates NAME;
- sandbox: ``GET {origin}/api:meta/sandbox/env_key`` and ``PATCH {origin}/api:meta/sandbox/
  env/{NAME}``, same bodies.

The list endpoint, not ``GET .../env/{NAME}``, tells whether NAME exists: the get endpoint
answers with the variable's current value, a secret this kit has no reason to receive.

The standard library's ``urllib.request`` with ``ssl.create_default_context()`` (certificates
and host names verified against the system's store, ``SSL_CERT_FILE`` honoured) does the
requests: two small JSON requests need no third-party HTTP library, and the kit's base
install stays pure Python with one dependency. Redirects are refused rather than followed
(urllib would follow a GET's redirect with the ``Authorization`` header to any address).

What never leaves this module: the token and the value appear in no exception message, and an
error answer's body is never shown (Xano's error body may echo what was sent). Every failure
is a :class:`XanoError` with one sentence, raised outside the ``except`` block that caught the
cause, so it carries no chained exception whose frames hold the request.
"""

from __future__ import annotations

import json
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from contextlib import suppress
from dataclasses import dataclass
from http.client import HTTPException
from typing import Any

#: Seconds to wait for Xano's answer to one request.
TIMEOUT_SECONDS = 30
#: An answer larger than this is not read (a list of variable names is a few KiB).
MAX_ANSWER_BYTES = 1 << 20
#: A tenant name as Xano's CLI takes it: one URL path segment (it is percent-encoded anyway).
MAX_TENANT_CHARS = 200


class XanoError(Exception):
    """One sentence about a failed Metadata API request, holding no token and no value.

    ``status`` is Xano's HTTP status when it answered, else ``None`` (network, TLS).
    ``usage`` is true when the user can fix it with different options (an existing name).
    """

    def __init__(self, message: str, status: int | None = None, *, usage: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.usage = usage


def check_origin(origin: object) -> str:
    """``https://host[:port]`` with no path, query or user part; else one ``ValueError``."""
    such_as = "such as https://x1a2-b3c4-d5e6.n7.xano.io"
    if not isinstance(origin, str) or not origin.strip():
        raise ValueError(f"the Xano instance origin must be an https:// address, {such_as}")
    text = origin.strip().rstrip("/")
    parts = urllib.parse.urlsplit(text)
    if parts.scheme.lower() != "https":
        raise ValueError(
            "the Xano instance origin must be an https:// address (the token and the key are "
            f"never sent over plain http), {such_as}"
        )
    try:
        port = parts.port
    except ValueError:
        port = -1
    if (
        not parts.hostname
        or parts.username is not None
        or parts.password is not None
        or parts.path
        or parts.query
        or parts.fragment
        or port == -1
    ):
        raise ValueError(
            f"the Xano instance origin must be only https:// and a host name, {such_as}"
        )
    return text


def check_token(token: object) -> str:
    """A Metadata API token: visible ASCII, no spaces. The token is never repeated."""
    if (
        not isinstance(token, str)
        or not token
        or len(token) > 8192
        or not token.isascii()
        or not token.isprintable()
        or any(ch.isspace() for ch in token)
    ):
        raise ValueError(
            "the Xano token must be the Metadata API access token, one line of visible "
            "characters with no spaces (it is not shown)"
        )
    return token


@dataclass(frozen=True)
class Scope:
    """Where a variable lives: a tenant of a workspace, or the user's sandbox."""

    tenant: str | None = None
    workspace: str | None = None

    @property
    def is_sandbox(self) -> bool:
        return self.tenant is None

    def describe(self) -> str:
        if self.tenant is None:
            return "the sandbox"
        return f"tenant {self.tenant!r} of workspace {self.workspace}"

    def path(self) -> str:
        if self.tenant is None:
            return "/api:meta/sandbox"
        quote = urllib.parse.quote
        return (
            f"/api:meta/workspace/{quote(str(self.workspace), safe='')}"
            f"/tenant/{quote(self.tenant, safe='')}"
        )


def check_place(tenant: object, sandbox: bool) -> None:
    """``--tenant NAME`` or ``--sandbox``, exactly one (checked before any profile is read)."""
    if sandbox == (tenant is not None):
        raise ValueError("give exactly one of --tenant NAME or --sandbox, e.g. --tenant my-tenant")
    if not sandbox and (
        not isinstance(tenant, str) or not tenant.strip() or len(tenant) > MAX_TENANT_CHARS
    ):
        raise ValueError(
            f"--tenant takes a tenant's name, 1 to {MAX_TENANT_CHARS} characters, e.g. my-tenant"
        )


def check_scope(tenant: str | None, workspace: object, sandbox: bool) -> Scope:
    """The scope the options name; one ``ValueError`` for a missing or mistyped part."""
    check_place(tenant, sandbox)
    if sandbox or tenant is None:
        return Scope()
    if workspace is None or str(workspace).strip() == "":
        raise ValueError(
            "a tenant's variables need the workspace id: give --workspace ID or set workspace "
            "in the Xano CLI profile"
        )
    text = str(workspace).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise ValueError("the workspace id is a whole number, such as 1; check --workspace")
    return Scope(tenant=tenant, workspace=text)


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises the 3xx answer as an HTTPError


class MetadataClient:
    """The Metadata API of one Xano instance, used with one token (kept out of ``repr``)."""

    def __init__(
        self, origin: str, token: str, *, context: ssl.SSLContext | None = None
    ) -> None:
        self.origin = check_origin(origin)
        self._token = check_token(token)
        self._host = urllib.parse.urlsplit(self.origin).hostname or self.origin
        context = context if context is not None else ssl.create_default_context()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context), _RefuseRedirects()
        )

    def __repr__(self) -> str:
        return f"MetadataClient(origin={self.origin!r}, token=‹not shown›)"

    def __reduce__(self) -> Any:
        raise TypeError("a MetadataClient holds a token and cannot be pickled")

    def env_names(self, scope: Scope) -> set[str]:
        """The names of the variables set in ``scope`` (their values are not asked for)."""
        answer = self._request("GET", scope.path() + "/env_key", None, scope, sends_value=False)
        names = _names_from(answer)
        if names is None:
            raise XanoError(
                f"Xano's list of variables of {scope.describe()} has an unexpected form, so "
                "whether the name is already set is unknown; nothing was set (use --force to "
                "set it anyway)"
            )
        return names

    def set_env(self, scope: Scope, name: str, value: str) -> None:
        """Create or replace ``name`` in ``scope`` with ``value``: the one request holding it."""
        body = json.dumps({"env": {"name": name, "value": value}}).encode("utf-8")
        path = scope.path() + "/env/" + urllib.parse.quote(name, safe="")
        self._request("PATCH", path, body, scope, sends_value=True)

    def _request(
        self, method: str, path: str, body: bytes | None, scope: Scope, *, sends_value: bool
    ) -> Any:
        headers = {
            "accept": "application/json",
            "Authorization": f"Bearer {self._token}",
            "User-Agent": _user_agent(),
        }
        if body is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(
            self.origin + path, data=body, headers=headers, method=method
        )
        failure: XanoError | None = None
        try:
            with self._opener.open(request, timeout=TIMEOUT_SECONDS) as response:
                raw = response.read(MAX_ANSWER_BYTES + 1)
        except urllib.error.HTTPError as error:
            with suppress(Exception):
                error.close()  # the body is never read: it may echo the value
            failure = _status_failure(error.code, error.headers, scope, self, sends_value)
        except urllib.error.URLError as error:
            failure = _network_failure(error.reason, self._host, sends_value)
        except (OSError, HTTPException) as error:
            failure = _network_failure(error, self._host, sends_value)
        if failure is not None:
            del request, body, headers  # the raise below is outside the except: no context
            raise failure
        if method != "GET":
            return None
        if len(raw) > MAX_ANSWER_BYTES:
            raise XanoError(f"Xano's answer from {self._host} is larger than expected; stopped")
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return _NOT_JSON


_NOT_JSON = object()


def _user_agent() -> str:
    # The installed distribution's version: importing xsk_nb's __init__ from here would close
    # an import circle (the extension loader imports this module's magic).
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("xsk-nb")
    except PackageNotFoundError:  # run from a source tree that was never installed
        number = "unknown"
    return f"xsk-nb/{number} (python urllib)"


def _names_from(answer: Any) -> set[str] | None:
    """Names from ``{"env": [{"name": ...}]}`` (Xano's CLI reads this form) or a bare list."""
    items = answer.get("env") if isinstance(answer, dict) else answer
    if items is None and isinstance(answer, dict) and "items" in answer:
        items = answer["items"]  # the paged envelope some Metadata API lists use
    if not isinstance(items, list):
        return None
    names: set[str] = set()
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if not isinstance(name, str):
            return None
        names.add(name)
    return names


def _status_failure(
    status: int, headers: Any, scope: Scope, client: MetadataClient, sends_value: bool
) -> XanoError:
    where = f"{scope.describe()} on {client.origin}"
    unset = "; the variable was not set" if sends_value else "; nothing was sent or set"
    if status == 401:
        return XanoError(
            "Xano refused the token (401): it is wrong or has expired (Metadata API tokens last "
            "7 days by default); make a new one in Xano's instance settings, then set "
            f"XANO_TOKEN or update the profile{unset}",
            status,
        )
    if status == 403:
        return XanoError(
            f"Xano refused the request (403): the token lacks the Metadata API scope for {where} "
            f"(environment variables need the tenant or sandbox read and update scopes){unset}",
            status,
        )
    if status == 404:
        if scope.is_sandbox:
            return XanoError(
                f"Xano has no sandbox for this account on {client.origin} (404); create it in "
                f"Xano (or with xano sandbox get){unset}",
                status,
            )
        return XanoError(
            f"Xano has no {where} (404): check the tenant name and the workspace id{unset}",
            status,
        )
    if status == 429:
        wait = _retry_after(headers)
        return XanoError(
            f"Xano is limiting the rate of requests (429): wait {wait} and try again{unset}",
            status,
        )
    if 300 <= status < 400:
        return XanoError(
            f"Xano answered with a redirect ({status}), which is not followed (it could carry "
            "the token elsewhere): check instance_origin in the profile or --instance"
            f"{unset}",
            status,
        )
    if status >= 500:
        fate = (
            "; whether the variable was set is unknown, so check it in Xano"
            if sends_value
            else unset
        )
        return XanoError(f"Xano had a server error ({status}) for {where}{fate}", status)
    return XanoError(
        f"Xano refused the request for {where} ({status}); its answer is not shown, because an "
        f"error answer may repeat what was sent{unset}",
        status,
    )


def _retry_after(headers: Any) -> str:
    value = headers.get("Retry-After", "") if headers is not None else ""
    value = str(value).strip()
    if value.isascii() and value.isdigit() and len(value) <= 6:
        return f"{int(value)} s"
    return "a minute"


def _network_failure(reason: object, host: str, sends_value: bool) -> XanoError:
    fate = (
        "; whether the variable was set is unknown, so check it in Xano"
        if sends_value and isinstance(reason, (TimeoutError, socket.timeout, HTTPException))
        else ("; the variable was not set" if sends_value else "; nothing was sent or set")
    )
    if isinstance(reason, ssl.SSLCertVerificationError):
        why = reason.verify_message or "it is not trusted"
        return XanoError(
            f"the TLS certificate of {host} could not be verified ({why}); check the instance "
            f"origin, or point SSL_CERT_FILE at your organisation's CA bundle{fate}"
        )
    if isinstance(reason, ssl.SSLError):
        return XanoError(f"the TLS connection to {host} failed{fate}")
    if isinstance(reason, socket.gaierror):
        return XanoError(
            f"could not find {host} (no network, or a mistyped instance origin){fate}"
        )
    if isinstance(reason, ConnectionRefusedError):
        return XanoError(f"{host} refused the connection (is the network up?){fate}")
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return XanoError(f"{host} did not answer within {TIMEOUT_SECONDS} s{fate}")
    if isinstance(reason, HTTPException):
        return XanoError(f"the connection to {host} broke before Xano answered{fate}")
    if isinstance(reason, OSError):
        from xsk_nb.private_file import os_error_sentence

        return XanoError(f"could not reach {host}: {os_error_sentence(reason)}{fate}")
    return XanoError(f"could not reach {host} (a network error){fate}")
