"""Key sets for rotation: verification across a rotation, keys rotated out, private atomic files,
refusals that write nothing, and no key character in a repr."""

from __future__ import annotations

import json
import os
import pickle
import stat
from pathlib import Path

import jwt
import pytest
from leakcheck import assert_no_key_material

from xsk_nb import KeySet
from xsk_nb.keygen import create_secret_key, key_bytes
from xsk_nb.keyset import DEFAULT_KEEP


def sign(jwk: dict[str, str], claims: dict[str, object]) -> str:
    return jwt.encode(claims, key_bytes(jwk), algorithm=jwk["alg"], headers={"kid": jwk["kid"]})


def verify(keyset: KeySet, token: str) -> dict[str, object]:
    """What a verifier does: the token's kid picks the key, the key checks the signature."""
    kid = jwt.get_unverified_header(token)["kid"]
    jwk = keyset.find(kid)
    if jwk is None:
        raise jwt.InvalidKeyError("no key with this kid in the set (rotated out?)")
    return jwt.decode(token, key_bytes(jwk), algorithms=[jwk["alg"]])


def test_new_set_has_one_oct_key_with_random_kid_and_alg() -> None:
    ks = KeySet.new(bits=1024, alg="HS384", keep=3)
    (jwk,) = ks.keys
    assert set(jwk) == {"kty", "k", "alg", "kid"} and jwk["alg"] == "HS384"
    assert len(key_bytes(jwk)) == 128 and len(jwk["kid"]) >= 22
    assert ks.current == jwk and (ks.bits, ks.alg, ks.keep) == (1024, "HS384", 3)
    assert ks.to_jwks() == {"keys": [jwk]}
    assert KeySet.new().bits == 512 and KeySet.new().alg == "HS256"
    assert KeySet.new().keep == DEFAULT_KEEP


def test_rotate_puts_a_new_key_first_and_keeps_the_previous_keep() -> None:
    ks = KeySet.new(keep=2)
    history = [ks.current["kid"]]
    for _ in range(4):
        ks = ks.rotate()
        history.insert(0, ks.current["kid"])
    assert [jwk["kid"] for jwk in ks.keys] == history[:3]  # current + 2 previous
    assert len(set(history)) == 5  # every key fresh, every kid distinct
    assert len({jwk["k"] for jwk in ks.keys}) == 3


def test_a_token_signed_before_a_rotation_verifies_after_it() -> None:
    ks = KeySet.new(bits=512, alg="HS256", keep=2)
    token = sign(ks.current, {"sub": "user-1"})
    ks = ks.rotate().rotate()  # still within keep=2
    assert verify(ks, token) == {"sub": "user-1"}
    # and a verifier reading the JWKS (PyJWT's PyJWKSet) finds it too
    jwk_set = jwt.PyJWKSet.from_dict(ks.to_jwks())
    kid = jwt.get_unverified_header(token)["kid"]
    assert jwt.decode(token, jwk_set[kid].key, algorithms=["HS256"]) == {"sub": "user-1"}


def test_a_token_signed_with_a_key_rotated_out_fails() -> None:
    ks = KeySet.new(keep=1)
    token = sign(ks.current, {"sub": "user-1"})
    ks = ks.rotate().rotate()  # the signing key is now two rotations old, keep=1
    with pytest.raises(jwt.InvalidKeyError):
        verify(ks, token)
    for jwk in ks.keys:  # and no key left in the set verifies it
        with pytest.raises(jwt.InvalidSignatureError):
            jwt.decode(token, key_bytes(jwk), algorithms=["HS256"])


def test_keep_zero_keeps_only_the_current_key() -> None:
    ks = KeySet.new(keep=0).rotate()
    assert len(ks) == 1


def test_repr_str_and_vars_show_no_key_character() -> None:
    ks = KeySet.new().rotate()
    for jwk in ks.keys:
        assert_no_key_material(repr(ks), jwk["k"], "repr")
        assert_no_key_material(str(ks), jwk["k"], "str")
    assert "hidden" in repr(ks) and ks.current["kid"][:12] in repr(ks)
    with pytest.raises(TypeError):
        vars(ks)  # no instance __dict__


def test_accessors_return_copies() -> None:
    ks = KeySet.new()
    ks.current["k"] = "changed"
    ks.keys[0]["kid"] = "changed"
    ks.to_jwks()["keys"].clear()
    assert ks.current["k"] != "changed" and ks.find(ks.current["kid"]) is not None


def test_pickle_round_trip() -> None:
    ks = KeySet.new(keep=3).rotate()
    again = pickle.loads(pickle.dumps(ks))
    assert again.keys == ks.keys and again.keep == 3


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: KeySet.new(bits=256), "bits must be one of"),
        (lambda: KeySet.new(alg="none"), "alg must be"),
        (lambda: KeySet.new(keep=-1), "keep must be a whole number from 0 to 64"),
        (lambda: KeySet.new(keep=True), "keep must be"),
        (lambda: KeySet.new(keep="2"), "keep must be"),
        (lambda: KeySet([]), "at least one key"),
        (lambda: KeySet("notakeyset"), "keys must be a list"),
        (lambda: KeySet([{"kty": "oct", "k": "AAAA", "kid": "a"}]), "has 24 bits"),
        (lambda: KeySet([create_secret_key(512)]), "has no kid"),
        (lambda: KeySet([{"kty": "RSA", "kid": "a"}]), "is not an oct JWK"),
        (lambda: KeySet.from_jwks({"keys": "x"}), "is a JSON object"),
        (lambda: KeySet.from_jwks([]), "is a JSON object"),
    ],
    ids=range(12),
)
def test_bad_inputs_are_one_sentence(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message) as error:
        call()  # type: ignore[operator]
    assert "\n" not in str(error.value)


def test_duplicate_kids_are_refused_without_echo() -> None:
    a = create_secret_key(512, kid="same")
    b = create_secret_key(512, kid="same")
    with pytest.raises(ValueError, match="share a kid") as error:
        KeySet([a, b])
    assert_no_key_material(str(error.value), a["k"])


# --- files ---------------------------------------------------------------------------------------


def test_save_and_load_round_trip_private_and_atomic(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    ks = KeySet.new(keep=3).rotate()
    assert ks.save(path) == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = json.loads(path.read_text())
    assert data["keys"] == list(ks.keys) and data["xsk_nb"] == {"keep": 3}
    loaded = KeySet.load(path)
    assert loaded.keys == ks.keys and loaded.keep == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keys.json"]  # no temporary file


def test_rotate_file_rotates_under_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    first = KeySet.new(keep=1)
    first.save(path)
    token = sign(first.current, {"n": 1})
    rotated = KeySet.rotate_file(path)
    assert KeySet.load(path).keys == rotated.keys and verify(rotated, token) == {"n": 1}
    KeySet.rotate_file(path)
    with pytest.raises(jwt.InvalidKeyError):
        verify(KeySet.load(path), token)
    assert len(KeySet.rotate_file(path, keep=3).rotate()) == 4  # keep changed from now on


def test_plain_jwks_without_settings_loses_nothing_on_rotation(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    keys = [create_secret_key(512, alg="HS256", kid="random") for _ in range(4)]
    path.write_text(json.dumps({"keys": keys}))
    os.chmod(path, 0o600)
    loaded = KeySet.load(path)
    assert loaded.keep == 3 and len(loaded.rotate()) == 4


def test_save_refuses_like_the_env_writer_and_writes_nothing(tmp_path: Path) -> None:
    ks = KeySet.new()
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "target.json")
    with pytest.raises(ValueError, match="symlink"):
        ks.save(link)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="FIFO"):
        ks.save(fifo)
    with pytest.raises(ValueError, match="FIFO"):
        KeySet.load(fifo)
    loose = tmp_path / "loose.json"
    KeySet.new().save(loose)
    os.chmod(loose, 0o644)
    before = loose.read_bytes()
    with pytest.raises(ValueError, match="chmod 600"):
        ks.save(loose)
    with pytest.raises(ValueError, match="chmod 600"):
        KeySet.rotate_file(loose)
    assert loose.read_bytes() == before
    existing = tmp_path / "existing.json"
    KeySet.new().save(existing)
    before = existing.read_bytes()
    with pytest.raises(ValueError, match="already exists"):
        ks.save(existing, replace=False)
    assert existing.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "existing.json", "fifo", "link.json", "loose.json"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is not JSON"),
        ("{not json", "is not JSON"),
        ("[]", "is a JSON object"),
        ('{"keys": []}', "at least one key"),
        ('{"keys": [{"kty": "oct"}]}', "key 1 of the set is not an oct JWK"),
    ],
)
def test_load_and_rotate_of_a_bad_file_refuse_and_write_nothing(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "keys.json"
    path.write_text(content)
    os.chmod(path, 0o600)
    for call in (lambda: KeySet.load(path), lambda: KeySet.rotate_file(path)):
        with pytest.raises(ValueError, match=message) as error:
            call()
        assert "\n" not in str(error.value)
    assert path.read_text() == content


def test_secret_in_a_broken_file_is_not_echoed(tmp_path: Path) -> None:
    jwk = create_secret_key(512, kid="random")
    path = tmp_path / "keys.json"
    path.write_text(json.dumps({"keys": [jwk]})[:-3])  # cut: not JSON any more
    os.chmod(path, 0o600)
    with pytest.raises(ValueError) as error:
        KeySet.load(path)
    assert_no_key_material(str(error.value), jwk["k"])


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="does not exist; make one with xsk-nb jwks new"):
        KeySet.load(tmp_path / "nope.json")
    with pytest.raises(ValueError, match="does not exist"):
        KeySet.rotate_file(tmp_path / "nope.json")
    assert list(tmp_path.iterdir()) == []


def test_disk_full_during_rotation_leaves_the_old_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from xsk_nb import private_file

    path = tmp_path / "keys.json"
    KeySet.new().save(path)
    before = path.read_bytes()

    def full(*_args: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(private_file.os, "write", full)
    with pytest.raises(ValueError, match="the disk is full; nothing was changed"):
        KeySet.rotate_file(path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keys.json"]


# --- removing a key: the response to a leak (issue 17) ---------------------------------------


def test_remove_makes_a_leaked_key_stop_verifying_at_once() -> None:
    keys = KeySet.new(bits=512, alg="HS256", keep=2)
    leaked = keys.current
    token = jwt.encode({"sub": "s"}, key_bytes(leaked), "HS256", headers={"kid": leaked["kid"]})
    rotated = keys.rotate()
    assert rotated.find(leaked["kid"]) is not None  # a grace period: routine rotation
    after = rotated.remove(leaked["kid"])
    assert after.find(leaked["kid"]) is None and len(after) == 1
    assert after.current == rotated.current and after.keep == rotated.keep
    assert len(rotated) == 2  # immutable: the old set is unchanged
    assert jwt.get_unverified_header(token)["kid"] not in {k["kid"] for k in after.keys}


@pytest.mark.parametrize(
    ("kid", "message"),
    [
        ("no-such-kid", "no key of this set has kid a str of 11 characters"),  # never echoed
        (7, "no key of this set has kid 7"),
        (None, "no key of this set has kid None"),
    ],
)
def test_remove_refuses_an_unknown_kid_in_one_sentence(kid: object, message: str) -> None:
    import re

    with pytest.raises(ValueError, match="^" + re.escape(message)):
        KeySet.new().rotate().remove(kid)


def test_remove_refuses_the_current_key_and_says_rotate_first() -> None:
    keys = KeySet.new().rotate()
    with pytest.raises(ValueError, match=r"is the current \(signing\) key; rotate first"):
        keys.remove(keys.current["kid"])


def test_remove_file_removes_under_the_lock_and_a_refusal_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    keys = KeySet.new(keep=2).rotate()
    keys.save(path)
    before = path.read_bytes()
    with pytest.raises(ValueError, match="no key of this set has kid"):
        KeySet.remove_file(path, "nope")
    assert path.read_bytes() == before
    old = keys.keys[1]["kid"]
    after = KeySet.remove_file(path, old)
    assert KeySet.load(path).to_jwks() == after.to_jwks() and after.find(old) is None
    assert (path.stat().st_mode & 0o777) == 0o600
