"""The scanner's corpus: files with keys planted in every place notebooks hide them, and decoys.

No key is stored in the repository: :func:`build` draws every planted key fresh (``secrets``,
through the kit and jwcrypto) into a folder it is given, and returns what it planted, so the
tests and ``bench/scan_bench.py`` can check each plant is found and nothing else is. The decoys
(``decoys/``: masked placeholders, images, hashes, UUIDs, ids, published example keys) are
copied beside the plants.
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import jwt
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

import xsk_nb

DECOYS = Path(__file__).resolve().parent / "decoys"
#: What a plant is expected to be reported as.
LEAK, REVEALED, ALLOWED = "leak", "revealed", "allowed"


@dataclass(frozen=True)
class Plant:
    file: str  # relative to the corpus folder
    place: str  # where it was planted, for failure messages (never the key)
    secret: str = field(repr=False)  # never in a failure message
    expected: str = LEAK


def _k(bits: int = 512) -> str:
    return xsk_nb.create_secret_key(bits)["k"]


def _random_text(chars: int) -> str:
    """A random base64url secret of ``chars`` characters (as `openssl rand` users paste)."""
    return secrets.token_urlsafe(chars)[:chars]


def _private_jwk(kty: str) -> dict[str, str]:
    from jwcrypto import jwk

    key = jwk.JWK.generate(kty="EC", crv="P-256") if kty == "EC" else jwk.JWK.generate(
        kty="OKP", crv="Ed25519"
    )
    return json.loads(key.export(private_key=True))


def _token(alg: str, key: bytes | str, *, exp_days: float | None, kid: str | None = None) -> str:
    claims: dict[str, object] = {"sub": "student-" + secrets.token_hex(3)}
    if exp_days is not None:
        claims["exp"] = int(time.time() + exp_days * 86400)
    headers = {"kid": kid} if kid else None
    with warnings.catch_warnings():  # PyJWT warns of the weak secret: planted on purpose
        warnings.simplefilter("ignore")
        return jwt.encode(claims, key, algorithm=alg, headers=headers)


def _leaky_notebook(folder: Path, plants: list[Plant], name: str = "leaky.ipynb") -> None:
    k1, k2, k3, k4a, k4b, k5, k9, k10, k12 = (_k() for _ in range(9))
    t1 = _token("HS256", secrets.token_bytes(32), exp_days=365, kid="signing-1")
    t2 = _token("HS256", "secret", exp_days=None)
    ec = _private_jwk("EC")
    s43, s_meta = _random_text(43), _random_text(43)
    jwks = {"keys": [{"kty": "oct", "kid": "a", "k": k4a}, {"kty": "oct", "kid": "b", "k": k4b}]}
    nb = new_notebook()
    nb.cells = [
        new_code_cell(f'key = {{"kty": "oct", "k": "{k1}"}}'),
        new_code_cell("print(xsk_nb.create_secret_key(512))", outputs=[
            new_output("stream", name="stdout", text=repr({"kty": "oct", "k": k2}) + "\n")]),
        new_code_cell("jwk", execution_count=3, outputs=[new_output(
            "execute_result", execution_count=3,
            data={"text/plain": repr({"kty": "oct", "k": k3, "alg": "HS256"}),
                  "text/html": f"<pre>{json.dumps({'kty': 'oct', 'k': k3})}</pre>"})]),
        new_code_cell("display(keys)", outputs=[new_output(
            "display_data", data={"application/json": jwks, "text/plain": "<JWKS>"})]),
        new_code_cell("check(key)", outputs=[new_output(
            "error", ename="ValueError", evalue=f"not a key: {k5}",
            traceback=["Traceback (most recent call last)", f"ValueError: not a key: {k5}"])]),
        new_code_cell("sign()", metadata={"tags": ["demo"], "last_token": t1}),
        new_markdown_cell(f"My EC key, pasted:\n\n```json\n{json.dumps(ec)}\n```"),
        new_markdown_cell("See the attachment.", attachments={
            "env.txt": {"text/plain": f"JWT_SECRET={s43}\n"}}),
        new_code_cell("report.reveal()", outputs=[new_output(
            "display_data", data={"text/plain": repr({"kty": "oct", "k": k9})},
            metadata={"xsk_nb": {"revealed": True}})]),
        new_code_cell("# xsk-nb: allow (a throwaway key shown for the demo)\nprint(key)",
                      outputs=[new_output("stream", name="stdout", text=f"{k10}\n")]),
        new_code_cell(f'token = "{t2}"'),
    ]
    nb.metadata["xsk_demo"] = {"JWT_SECRET": s_meta}
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "version_major": 2, "version_minor": 0,
        "state": {"abc123": {"model_name": "TextModel", "state": {"value": k12}}}}}
    nbformat.write(nb, folder / name)
    for place, secret, expected in [
        ("cell 1 source (JWK)", k1, LEAK), ("cell 2 stream (dict repr)", k2, LEAK),
        ("cell 3 execute_result (repr, html)", k3, LEAK), ("cell 4 JSON JWKS, 1st", k4a, LEAK),
        ("cell 4 JSON JWKS, 2nd", k4b, LEAK), ("cell 5 error traceback", k5, LEAK),
        ("cell 6 metadata token", t1, LEAK), ("cell 7 markdown EC d", ec["d"], LEAK),
        ("cell 8 attachment", s43, LEAK), ("cell 9 revealed output", k9, REVEALED),
        ("cell 10 allowed cell", k10, ALLOWED), ("cell 11 weak-secret token", t2, LEAK),
        ("notebook metadata", s_meta, LEAK), ("widget state", k12, LEAK),
    ]:
        plants.append(Plant(name, place, secret, expected))


def build(folder: Path) -> list[Plant]:
    """Write the corpus into ``folder`` (created) and return every plant."""
    folder.mkdir(parents=True, exist_ok=True)
    plants: list[Plant] = []
    _leaky_notebook(folder, plants)
    (folder / ".ipynb_checkpoints").mkdir(exist_ok=True)
    _leaky_notebook(folder / ".ipynb_checkpoints", plants_copy := [], "leaky-checkpoint.ipynb")
    plants.extend(Plant(f".ipynb_checkpoints/{p.file}", p.place, p.secret, p.expected)
                  for p in plants_copy)

    k13, k14 = _k(4096), _k(512)
    (folder / ".env").write_text(
        f"JWT_SECRET={k13}\nJWT_JWK={json.dumps({'kty': 'oct', 'k': k14})}\n"
        "API_TOKEN=secret123\nDEBUG=true\n", encoding="utf-8")
    plants += [Plant(".env", "JWT_SECRET=", k13), Plant(".env", "JWT_JWK=", k14),
               Plant(".env", "weak API_TOKEN", "secret123")]

    k15 = _k(1024)
    (folder / "key.jwk").write_text(json.dumps({"kty": "oct", "k": k15}), encoding="utf-8")
    k16a, k16b = _k(2048), _k(2048)
    (folder / "keys.json").write_text(json.dumps(
        {"keys": [{"kty": "oct", "kid": "new", "k": k16a},
                  {"kty": "oct", "kid": "old", "k": k16b}]}, indent=2), encoding="utf-8")
    plants += [Plant("key.jwk", "oct JWK", k15), Plant("keys.json", "JWKS 1st", k16a),
               Plant("keys.json", "JWKS 2nd", k16b)]

    s16 = _random_text(32)
    t3 = _token("HS512", secrets.token_bytes(64), exp_days=None)
    (folder / "app.py").write_text(
        f'import jwt\n\nSIGNING_KEY = "{s16}"\n# a token for curl: {t3}\n', encoding="utf-8")
    plants += [Plant("app.py", "SIGNING_KEY literal", s16), Plant("app.py", "comment token", t3)]

    s17 = _random_text(43)
    (folder / "function.xs").write_text(
        'query "sign" verb=POST {\n  stack {\n    security.jws_encode {\n'
        f'      key = "{s17}"\n      claims = {{sub: "1"}}\n    }} as $token\n  }}\n}}\n',
        encoding="utf-8")
    plants.append(Plant("function.xs", "key = literal", s17))

    s18 = _random_text(48)
    (folder / "notes.txt").write_text(
        f"Xano environment variables, pasted:\n$env.XANO_API_SECRET: {s18}\n", encoding="utf-8")
    plants.append(Plant("notes.txt", "$env value pasted", s18))

    t4 = _token("HS384", secrets.token_bytes(48), exp_days=0.5)
    (folder / "notes.md").write_text(f"Call it with `Authorization: Bearer {t4}`.\n",
                                     encoding="utf-8")
    plants.append(Plant("notes.md", "bearer token", t4))

    okp = _private_jwk("OKP")
    (folder / "keys").mkdir(exist_ok=True)
    (folder / "keys" / "private.jwk").write_text(json.dumps(okp, indent=2), encoding="utf-8")
    plants.append(Plant("keys/private.jwk", "OKP d", okp["d"]))

    shutil.copytree(DECOYS, folder / "decoys", dirs_exist_ok=True)
    return plants
