"""xsk_nb.request: one key request for the magic, the command line, the panel and a Xano push.

Every option rule refuses before any randomness is drawn; once a key exists nothing is
raised (a failure is one sentence with no piece of the key); the outcome is worded once.
"""

from __future__ import annotations

import gc
import json
import pickle
import stat
from pathlib import Path

import pytest
from leakcheck import assert_no_key_material

from xsk_nb import masking
from xsk_nb.keygen import key_bytes
from xsk_nb.request import (
    SHOW_JWK,
    SHOW_K,
    KeyOutcome,
    KeyRequest,
    RequestRefused,
    SendFailed,
    holds_key_piece,
)

PASTED = "GKSJXqhQ26xQ9zqT1ca3iGtMrZjzwmm1g9hSYaxUzAOzDT1JbsRu91FdXTp18cUDGg6_ct_jtMOTXTXQCM_b6g"


# --- before any draw ------------------------------------------------------------------------

REFUSED = [
    (KeyRequest(bits=256), "bits must be one of 512, 1024, 2048 or 4096; got 256"),
    (KeyRequest(bits=PASTED), "bits must be an int, one of 512, 1024, 2048 or 4096; got a str"),  # type: ignore[arg-type]
    (KeyRequest(format=PASTED), 'format must be "object", the only format; got a str'),
    (KeyRequest(alg=PASTED), "alg must be HS256, HS384 or HS512; got a str of 86"),
    (KeyRequest(bits=512, alg="HS512"), None),  # 512 bits meet HS512's minimum: accepted
    (KeyRequest(use="enc"), 'use must be "sig" (a signing key) or None'),
    (KeyRequest(kid=PASTED + PASTED), "kid must be "),
    (KeyRequest(env_file=".env"), "--env-file and --env-name go together: give both, e.g. "),
    (KeyRequest(env_name="JWT"), "--env-file and --env-name go together"),
    (KeyRequest(force=True), "--force only applies with --env-file and --env-name"),
    (
        KeyRequest(env_file="x.env", env_name="JWT", reveal=True),
        "--reveal does not go with --env-file: a key saved or sent is never shown",
    ),
    (KeyRequest(env_file="x.env", env_name="JWT", show=SHOW_JWK), "--jwk does not go with"),
    (KeyRequest(env_file="x.env", env_name="JWT", show=SHOW_K), "--k-only does not go with"),
    (
        KeyRequest(show=SHOW_K, kid="random"),
        "--k-only prints only k, so --kid and --use would be lost; use --jwk",
    ),
    (KeyRequest(show=SHOW_K, use="sig"), "--k-only prints only k"),
    (KeyRequest(show="pem"), "show must be one of report, jwk, k"),
    (
        KeyRequest(reveal=True, send_to="Xano's sandbox"),
        "--reveal does not go with sending the key to Xano's sandbox",
    ),
    (KeyRequest(env_file="x.env", env_name="1BAD"), "env name must be a variable name"),
]


@pytest.mark.parametrize(("request_", "sentence"), REFUSED, ids=range(len(REFUSED)))
def test_every_rule_refuses_before_any_draw_in_one_sentence(
    request_: KeyRequest,
    sentence: str | None,
    no_randomness: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    if sentence is None:
        assert request_.check().bits == 512
        return
    with pytest.raises(RequestRefused) as error:
        request_.check()
    message = str(error.value)
    assert message.startswith(sentence), message
    assert "\n" not in message and PASTED[:8] not in message
    assert isinstance(error.value, ValueError)  # callers may catch ValueError
    with pytest.raises(RequestRefused):
        request_.run()  # run checks first: still nothing drawn


def test_other_option_spellings_word_the_same_rule(no_randomness: None) -> None:
    request = KeyRequest(env_file=".env", flags={"env_file": "--also-env-file"})
    with pytest.raises(RequestRefused, match=r"^--also-env-file and --env-name go together"):
        request.check()


def test_force_applies_to_a_send_too(no_randomness: None) -> None:
    assert KeyRequest(force=True, send_to="Xano's sandbox").check().force


def test_an_unreadable_env_file_is_refused_before_a_draw(
    tmp_path: Path, no_randomness: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(*_args: object, **_kwargs: object) -> Path:
        raise PermissionError(13, "Permission denied", ".env")

    monkeypatch.setattr("xsk_nb.envfile.check_env_target", unreadable)
    with pytest.raises(RequestRefused) as error:
        KeyRequest(env_file=tmp_path / ".env", env_name="JWT").check()
    assert str(error.value) == "could not read the --env-file: Permission denied"


def test_check_returns_the_request_with_bits_as_an_int() -> None:
    numpy = pytest.importorskip("numpy")
    checked = KeyRequest(bits=numpy.int64(1024)).check()  # type: ignore[arg-type]
    assert type(checked.bits) is int and checked.bits == 1024


# --- drawing, saving, sending, presenting ----------------------------------------------------


def test_a_plain_request_draws_and_presents_the_key() -> None:
    outcome = KeyRequest(bits=512, alg="HS256", kid="random").run(lambda jwk: dict(jwk))
    assert outcome.failure is None and outcome.sentence == ""
    jwk = outcome.jwk()
    assert outcome.shown == jwk and len(key_bytes(jwk)) == 64
    assert jwk["alg"] == "HS256" and "kid" in jwk
    assert outcome.label == masking.key_label(jwk["k"])


def test_saving_is_worded_once_with_the_label_and_the_mode(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    outcome = KeyRequest(bits=512, env_file=env, env_name="JWT_SECRET").run()
    jwk = outcome.jwk()
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    assert json.dumps(jwk, separators=(",", ":")) in env.read_text()
    assert outcome.saved_path == env
    assert outcome.sentence == (
        f"Saved key {masking.key_label(jwk['k'])} (512 bits) as JWT_SECRET in {env} (mode 600); "
        "it is not shown here."
    )
    assert_no_key_material(outcome.sentence + repr(outcome), jwk["k"])


def test_save_writes_the_key_given_with_the_same_checks_and_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The panel's Save: the key on its card, not a new draw; refused before any write."""
    jwk = KeyRequest(bits=512).run().jwk()
    monkeypatch.setattr("xsk_nb.request.create_secret_key", pytest.fail)  # no second draw
    env = tmp_path / ".env"
    request = KeyRequest(bits=512, env_file=env, env_name="JWT_SECRET", saved_on="on a server")
    outcome = request.save(jwk)
    assert outcome.jwk() == jwk and json.dumps(jwk, separators=(",", ":")) in env.read_text()
    assert outcome.sentence == (
        f"Saved key {masking.key_label(jwk['k'])} (512 bits) as JWT_SECRET in {env} (mode 600) "
        "on a server; it is not shown here."
    )
    before = env.read_text()
    with pytest.raises(RequestRefused, match="the env name given is already set"):
        request.save(jwk)
    with pytest.raises(RequestRefused, match="saving needs --env-file and --env-name"):
        KeyRequest(bits=512).save(jwk)
    assert env.read_text() == before


def test_a_failed_save_of_a_given_key_names_only_the_cause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*_args: object, **_kwargs: object) -> Path:
        raise OSError(28, "No space left on device")

    jwk = KeyRequest(bits=512).run().jwk()
    monkeypatch.setattr("xsk_nb.envfile.save_jwk_to_env", full_disk)
    outcome = KeyRequest(bits=512, env_file=tmp_path / ".env", env_name="JWT").save(jwk)
    assert outcome.failure == "could not save the key to the --env-file: No space left on device"


def test_a_sender_gets_the_jwk_in_memory_and_the_outcome_says_where_it_went(
    tmp_path: Path,
) -> None:
    received: list[dict[str, str]] = []
    env = tmp_path / ".env"
    request = KeyRequest(
        bits=1024, kid="random", send_to="Xano's tenant t1 as JWT_SECRET",
        env_file=env, env_name="JWT_SECRET",
    )  # fmt: skip
    outcome = request.run(send=received.append)
    assert outcome.failure is None and outcome.sent
    assert received == [outcome.jwk()]
    label = masking.key_label(received[0]["k"])
    assert outcome.sentence == (
        f"Sent key {label} (1024 bits) to Xano's tenant t1 as JWT_SECRET and saved it as "
        f"JWT_SECRET in {env} (mode 600); it is not shown here."
    )
    alone = KeyRequest(send_to="Xano's sandbox").run(send=lambda jwk: None)
    assert alone.sentence.startswith("Sent key ") and alone.sentence.endswith(
        "(2048 bits) to Xano's sandbox; it is not shown here."
    )


def test_send_and_send_to_go_together(no_randomness: None) -> None:
    with pytest.raises(RequestRefused, match="send and send_to go together"):
        KeyRequest().run(send=lambda jwk: None)
    with pytest.raises(RequestRefused, match="send and send_to go together"):
        KeyRequest(send_to="Xano").run()


FAILURES = [
    (OSError(28, "No space left on device"), "could not save the key to the --env-file: "
     "No space left on device; the key was discarded and not shown"),
    (ValueError("the env file changed while it was written"),
     "the env file changed while it was written; the key was discarded and not shown"),
    (RuntimeError("a bug"), "could not save the key to the --env-file: an unexpected "
     "RuntimeError was raised; the key was discarded and not shown"),
    ("key-in-message", "could not save the key to the --env-file: an unexpected ValueError "
     "was raised; the key was discarded and not shown"),
]  # fmt: skip


@pytest.mark.parametrize(("failure", "sentence"), FAILURES, ids=range(len(FAILURES)))
def test_a_failure_once_the_key_exists_is_one_sentence_never_raised(
    failure: object, sentence: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def failing_writer(jwk: dict[str, str], *_args: object, **_kwargs: object) -> Path:
        seen.append(jwk["k"])
        if failure == "key-in-message":
            raise ValueError(f"cannot write {jwk}")
        raise failure  # type: ignore[misc]

    monkeypatch.setattr("xsk_nb.envfile.save_jwk_to_env", failing_writer)
    outcome = KeyRequest(bits=512, env_file=tmp_path / ".env", env_name="JWT").run()
    assert outcome.failure == sentence
    assert_no_key_material(outcome.failure + repr(outcome), seen[0])
    with pytest.raises(ValueError, match="this request failed, so it holds no key"):
        outcome.jwk()


def test_a_failed_send_says_so_and_nothing_is_saved(tmp_path: Path) -> None:
    def refuse(jwk: dict[str, str]) -> None:
        raise SendFailed("Xano answered 401: the token is not valid (or has expired)")

    env = tmp_path / ".env"
    request = KeyRequest(send_to="Xano's sandbox", env_file=env, env_name="JWT")
    outcome = request.run(send=refuse)
    assert outcome.failure == (
        "Xano answered 401: the token is not valid (or has expired); the key was discarded "
        "and not shown"
    )
    assert not env.exists() and not outcome.sent


def test_a_failure_after_saving_says_the_key_was_saved(tmp_path: Path) -> None:
    def broken(jwk: dict[str, str]) -> None:
        raise RuntimeError(jwk["k"])  # a careless message holding the key

    env = tmp_path / ".env"
    outcome = KeyRequest(bits=512, env_file=env, env_name="JWT").run(broken)
    assert outcome.failure == (
        "could not build the key's report: an unexpected RuntimeError was raised; the key "
        f"was saved to {env} but is not shown"
    )
    assert outcome.saved_path == env and env.exists()


def test_no_exception_leaves_run_with_the_key_in_a_frame() -> None:
    def broken(jwk: dict[str, str]) -> None:
        raise RuntimeError("boom")

    outcome = KeyRequest(bits=512).run(broken)
    assert outcome.failure is not None
    gc.collect()
    leftovers = [
        o for o in gc.get_objects() if isinstance(o, RuntimeError) and str(o) == "boom"
    ]
    assert leftovers == []  # the error (and its traceback's frames) is gone


def test_an_outcome_is_masked_and_not_picklable() -> None:
    outcome = KeyRequest(bits=512).run()
    k = outcome.jwk()["k"]
    assert_no_key_material(repr(outcome) + str(outcome), k)
    assert not hasattr(outcome, "__dict__")
    with pytest.raises(TypeError, match="holds a secret and is not picklable"):
        pickle.dumps(outcome)
    assert isinstance(outcome, KeyOutcome)


def test_holds_key_piece_is_the_8_character_rule() -> None:
    assert holds_key_piece("x" + PASTED[10:18] + "y", PASTED)
    assert not holds_key_piece(PASTED[10:17], PASTED)


def test_in_the_browser_only_site_a_saved_key_stays_in_the_page_memory_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 24 leak 6 for every adapter (the magic, the command line, the Xano push's
    --also-env-file): a key file asked for in JupyterLite's drive, which outlives the tab in
    IndexedDB, is written in the page's memory, and the sentence says where it is."""
    from xsk_nb import envfile

    drive, memory = tmp_path / "drive", tmp_path / "memory"
    drive.mkdir()
    monkeypatch.setattr("sys.platform", "emscripten")
    monkeypatch.setattr(envfile, "BROWSER_DRIVE", drive)
    monkeypatch.setattr(envfile, "BROWSER_MEMORY", memory)
    monkeypatch.chdir(drive)
    outcome = KeyRequest(bits=512, env_file=".env", env_name="JWT_SECRET").check().run()
    assert outcome.failure is None, outcome.failure
    assert outcome.jwk()["k"] in (memory / ".env").read_text()
    assert not list(drive.iterdir()), "the key reached the site's lasting storage"
    assert outcome.sentence.endswith(f", {envfile.IN_PAGE_MEMORY}; it is not shown here.")
    assert str(memory / ".env") in outcome.sentence
