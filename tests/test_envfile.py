"""Saving a key into a dotenv file: mode 0600, refusal to overwrite, nothing half-written."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from dotenv import dotenv_values

from xsk_nb.envfile import check_env_target, save_jwk_to_env
from xsk_nb.keygen import create_secret_key


def test_new_file_is_private_and_holds_compact_json(tmp_path: Path) -> None:
    jwk = create_secret_key(512, alg="HS256")
    path = save_jwk_to_env(jwk, tmp_path / ".env", "JWT_SECRET")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    value = dotenv_values(path)["JWT_SECRET"]
    assert value == json.dumps(jwk, separators=(",", ":"))
    assert json.loads(value) == jwk


def test_existing_name_is_refused_unless_forced(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    first = create_secret_key(512)
    save_jwk_to_env(first, path, "JWT_SECRET")
    before = path.read_bytes()
    with pytest.raises(ValueError, match=r"JWT_SECRET is already set in .*use force"):
        save_jwk_to_env(create_secret_key(512), path, "JWT_SECRET")
    assert path.read_bytes() == before  # nothing half-written
    second = create_secret_key(512)
    save_jwk_to_env(second, path, "JWT_SECRET", force=True)
    assert json.loads(dotenv_values(path)["JWT_SECRET"]) == second


def test_other_variables_and_mode_of_an_existing_file_are_kept(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text("DEBUG=1\n")
    os.chmod(path, 0o640)
    save_jwk_to_env(create_secret_key(512), path, "API_KEY")
    assert dotenv_values(path)["DEBUG"] == "1"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@pytest.mark.parametrize("name", ["", "1ABC", "JWT-SECRET", "A B", "X=Y", "ÄBC"])
def test_bad_names(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="env name must be a variable name"):
        check_env_target(tmp_path / ".env", name)
    assert not (tmp_path / ".env").exists()


def test_missing_folder_and_folder_target(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        check_env_target(tmp_path / "nope" / ".env", "X")
    with pytest.raises(ValueError, match="is a folder"):
        check_env_target(tmp_path, "X")
