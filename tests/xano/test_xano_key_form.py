"""docs/xano-key-form.md: the settled form, its two citations by commit, and its live check."""

from __future__ import annotations

import re
import time
from pathlib import Path

import jwt
import pytest

from xsk_nb import create_secret_key
from xsk_nb.envfile import save_jwk_to_env
from xsk_nb.xano.env_set import XANOSCRIPT_KEY_LINE, key_value

DOC = Path(__file__).resolve().parents[2] / "docs" / "xano-key-form.md"


def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_cites_both_xano_documents_by_commit() -> None:
    text = doc()
    # the skill document saying "Keys must be JWK objects, not strings!" (xano-inc/cli)
    assert "xano-inc/cli at `2b369b5a77936a4eb8fc90dcd3352bc8989b3f58`" in text
    assert "Keys must be JWK objects, not strings!" in text
    assert "850f3551de7a58a401fb6c7e7a6afc3b96a65c88" in text  # removed the same day
    # the current developer documents passing $env.JWT_SECRET as is
    assert "xano-inc/xano-developer-mcp at `c72a41005bda49e3b4a444e2c1c938e28c024d69`" in text
    assert "`key = $env.JWT_SECRET`" in text


def test_the_line_env_set_prints_is_the_settled_form() -> None:
    assert XANOSCRIPT_KEY_LINE.format(name="JWT_SECRET") in doc()
    jwk = create_secret_key(512)
    assert key_value(jwk) == '{"kty":"oct","k":"' + jwk["k"] + '"}'  # compact JSON text


def _check_cell() -> str:
    blocks = re.findall(r"```python\n(.*?)```", doc(), re.S)
    assert len(blocks) == 1
    return blocks[0]


@pytest.mark.parametrize("same_key", [True, False])
def test_the_live_check_cell_verifies_a_token_signed_with_the_jwk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    same_key: bool,
) -> None:  # fmt: skip
    jwk = create_secret_key(2048)
    save_jwk_to_env(jwk, tmp_path / ".env", "JWT_SECRET")
    # What Xano's endpoint answers if it signs with the JWK: HS256 over its key bytes,
    # header {"alg": "HS256"} (no typ, as Xano writes), claims {sub: 1} and a ttl.
    signer = jwk if same_key else create_secret_key(2048)
    token = jwt.encode(
        {"sub": 1, "exp": int(time.time()) + 300},
        jwt.PyJWK(signer, algorithm="HS256").key,
        algorithm="HS256",
        headers={"typ": None},
    )
    cell = _check_cell().replace("paste the token Xano answered here", token)
    monkeypatch.chdir(tmp_path)
    if same_key:
        exec(compile(cell, str(DOC), "exec"), {})
        assert capsys.readouterr().out == "Xano signed with the key this notebook holds: True\n"
    else:
        with pytest.raises(jwt.InvalidSignatureError):
            exec(compile(cell, str(DOC), "exec"), {})


def test_the_check_endpoint_runs_in_the_local_runner_and_its_token_verifies() -> None:
    """The doc's XanoScript endpoint, run by %%xanoscript's runner with the variable as
    env-set sets it (JSON text), signs a token the check cell's verification accepts."""
    from xsk_nb.xanoscript.interpreter import run

    source = re.findall(r"```xs\n(.*?)```", doc(), re.S)[1]
    jwk = create_secret_key(2048)
    token = run(source, env={"JWT_SECRET": key_value(jwk)}).raw
    key = jwt.PyJWK(jwk, algorithm="HS256").key
    claims = jwt.decode(token, key, algorithms=["HS256"], options={"verify_sub": False})
    assert claims["sub"] == 1
