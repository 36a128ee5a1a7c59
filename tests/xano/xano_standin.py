"""A local HTTPS stand-in for Xano's Metadata API, on 127.0.0.1, for the env-set tests.

It answers exactly the requests Xano's CLI makes for environment variables (xano-inc/cli at
``0399582``, ``src/commands/{tenant,sandbox}/env/{list,set}/index.ts``):

- ``GET /api:meta/workspace/{ws}/tenant/{tenant}/env_key`` and ``GET /api:meta/sandbox/env_key``
  answer ``{"env": [{"name": ..., "value": ...}]}`` (the CLI's type for that answer);
- ``PATCH /api:meta/workspace/{ws}/tenant/{tenant}/env/{NAME}`` and
  ``PATCH /api:meta/sandbox/env/{NAME}`` take ``{"env": {"name": NAME, "value": V}}``;

each with ``Authorization: Bearer <token>`` (401 otherwise), 404 for a workspace or tenant it
does not have, and anything else 405. ``mode`` makes it fail on purpose: ``"rate"`` (429 with
``Retry-After: 7``), ``"echo"`` (the PATCH answers 400 with a body repeating what was sent, as
an error body may), ``"server"`` (the PATCH answers 500 repeating it), ``"redirect"`` (302 to
an http:// address). Every request is recorded, raw, in :attr:`StandIn.requests`.

The certificate: a throwaway CA and a server certificate for 127.0.0.1 signed by it, made with
the ``cryptography`` package in the test's temporary folder (no private key is committed).
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import ssl
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

TOKEN = "xano-standin-token-0123456789abcdef"
_CA_KEY_USAGE = dict.fromkeys(
    ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
     "key_agreement", "encipher_only", "decipher_only"),
    False,
) | {"key_cert_sign": True, "crl_sign": True}  # fmt: skip


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def raw(self) -> str:
        """Everything sent in this request, as text, for leak scans."""
        head = f"{self.method} {self.path}\n" + "\n".join(
            f"{name}: {value}" for name, value in self.headers.items()
        )
        return head + "\n\n" + self.body.decode("utf-8", "replace")


def make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """``(ca.pem, server.pem, server-key.pem)`` for 127.0.0.1, valid for a day."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "xsk-nb test CA")])
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(**_CA_KEY_USAGE),
            critical=True,
        )
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    server = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    paths = folder / "ca.pem", folder / "server.pem", folder / "server-key.pem"
    paths[0].write_bytes(ca.public_bytes(pem))
    paths[1].write_bytes(server.public_bytes(pem))
    paths[2].write_bytes(
        key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    paths[2].chmod(0o600)
    return paths


class StandIn:
    """The stand-in server; use as a context manager. ``origin`` is its https:// address."""

    def __init__(self, folder: Path, *, mode: str | None = None) -> None:
        self.folder = folder
        self.mode = mode
        self.token = TOKEN
        #: workspace id -> tenant name -> {variable name: value}
        self.tenants: dict[str, dict[str, dict[str, str]]] = {
            "1": {"my-tenant": {"DATABASE_URL": "postgres://db"}}
        }
        self.sandbox: dict[str, str] = {"API_KEY": "sandbox-value"}
        self.requests: list[Recorded] = []
        self.ca_file, cert, key = make_certificates(folder)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self.origin = f"https://127.0.0.1:{self._server.server_address[1]}"
        # serve_forever polls for shutdown every poll_interval (0.5 s by default): each
        # test's teardown waited for it.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> StandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def patches(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "PATCH"]


def _handler(standin: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
            body = json.dumps(data).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _record(self) -> Recorded:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            record = Recorded(
                self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
            )
            standin.requests.append(record)
            return record

        def _scope(self, parts: list[str]) -> tuple[dict[str, str] | None, list[str]]:
            # parts after "api:meta": ["sandbox", ...] or ["workspace", ws, "tenant", t, ...]
            if parts[:1] == ["sandbox"]:
                return standin.sandbox, parts[1:]
            if len(parts) >= 4 and parts[0] == "workspace" and parts[2] == "tenant":
                return standin.tenants.get(parts[1], {}).get(parts[3]), parts[4:]
            return None, []

        def _route(self) -> None:
            record = self._record()
            if self.headers.get("Authorization") != f"Bearer {standin.token}":
                self._answer(401, {"code": "ERROR_CODE_UNAUTHORIZED", "message": "Invalid token"})
                return
            if standin.mode == "rate":
                self._answer(429, {"message": "Too many requests"}, {"Retry-After": "7"})
                return
            if standin.mode == "redirect":
                self._answer(302, {}, {"Location": "http://127.0.0.1:9/elsewhere"})
                return
            from urllib.parse import unquote

            segments = [unquote(s) for s in self.path.split("?")[0].split("/")]
            if segments[:2] != ["", "api:meta"]:
                self._answer(404, {"message": "Not found"})
                return
            variables, rest = self._scope(segments[2:])
            if variables is None:
                self._answer(404, {"code": "ERROR_CODE_NOT_FOUND", "message": "Not found"})
                return
            if self.command == "GET" and rest == ["env_key"]:
                env = [{"name": n, "value": v} for n, v in variables.items()]
                self._answer(200, {"env": env})
                return
            if self.command == "PATCH" and len(rest) == 2 and rest[0] == "env":
                sent = json.loads(record.body)
                if standin.mode in ("echo", "server"):
                    status = 400 if standin.mode == "echo" else 500
                    self._answer(status, {"message": f"Invalid value: {sent['env']['value']}"})
                    return
                assert record.headers.get("content-type") == "application/json"
                assert sent["env"]["name"] == rest[1]
                variables[rest[1]] = sent["env"]["value"]
                self._answer(200, sent["env"])  # Xano answers with the variable, value included
                return
            self._answer(405, {"message": "Method not allowed"})

        do_GET = do_PATCH = do_PUT = do_POST = do_DELETE = _route

    return Handler


def write_profile(
    home: Path, origin: str, *, token: str | None = TOKEN, name: str = "default",
    workspace: str | None = "1", extra: str = "",
) -> Path:  # fmt: skip
    """A ``~/.xano/credentials.yaml`` as Xano's CLI writes it, in ``home``."""
    folder = home / ".xano"
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["profiles:", f"  {name}:", f"    instance_origin: {origin}"]
    if token is not None:
        lines.append(f"    access_token: {token}")
    if workspace is not None:
        lines.append(f"    workspace: {workspace}")
    lines.append("    branch: v1")
    path = folder / "credentials.yaml"
    path.write_text("\n".join(lines) + "\n" + extra)
    path.chmod(0o600)
    return path
