"""No display of a response holds 8 consecutive characters of a secret, however derived."""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any

os.environ.setdefault("IPYTHONDIR", tempfile.mkdtemp(prefix="xsk-ipython-"))

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from xanoscript.test_seed import SEED_API_KEY
from xsk_nb.masking import key_label
from xsk_nb.xanoscript import XanoScriptRuntimeError, run
from xsk_nb.xanoscript.magic import register, unregister
from xsk_nb.xanoscript.redaction import SecretBook

DERIVED = """\
security.create_secret_key {
  bits = 1024
  format = "object"
} as $key

response = {
  jwk: $key,
  k: $key.k,
  prefix: `$key.k|substr:0:16`,
  middle: `$key.k|substr:40:12`,
  upper: `$key.k|to_upper`,
  lower: `$key.k|to_lower`,
  b64: `$key.k|base64_encode`,
  json: `$key|json_encode`,
  twice: `$key.k|to_upper|base64_encode`,
  length: `$key.k|strlen`,
  fine: "plain text"
}
"""


def pieces(secret: str, text: str) -> list[str]:
    return [secret[i : i + 8] for i in range(len(secret) - 7) if secret[i : i + 8] in text]


def all_secrets(raw: dict[str, Any]) -> list[str]:
    return [v for k, v in raw.items() if isinstance(v, str) and k not in ("fine",)]


@pytest.fixture
def shell() -> Any:
    shell = InteractiveShell.instance()
    register(shell)
    yield shell
    unregister(shell)


def test_every_derived_string_is_masked_and_says_what_it_is() -> None:
    response = run(DERIVED)
    raw, masked = response.raw, response.masked
    label = key_label(raw["k"])
    assert masked["jwk"] == {"kty": "oct", "k": f"‹hidden: 171 chars, key {label}›"}
    assert masked["k"] == f"‹hidden: 171 chars, key {label}›"
    assert masked["prefix"] == f"‹hidden: first 16 chars of key {label}›"
    assert masked["middle"] == f"‹hidden: 12 chars from inside key {label}›"
    assert masked["upper"] == f"‹hidden: 171 chars, to_upper of key {label}›"
    assert masked["b64"] == f"‹hidden: 228 chars, base64_encode of key {label}›"
    assert masked["json"] == f"‹hidden: 191 chars, json_encode of key {label}›"
    assert masked["twice"].endswith(f"base64_encode of key {label}›")
    assert masked["length"] == 171 and masked["fine"] == "plain text"


def test_no_display_form_holds_key_material(shell: Any) -> None:
    response = run(DERIVED)
    formats, _ = shell.display_formatter.format(response)  # every _repr_*_ IPython would call
    assert set(formats) == {"text/plain", "text/html"}
    shown = [*formats.values(), repr(response), json.dumps(response.masked, ensure_ascii=False)]
    for secret in all_secrets(response.raw):
        for text in shown:
            assert pieces(secret, text) == []


def test_nothing_a_notebook_keeps_holds_key_material(shell: Any) -> None:
    with capture_output() as captured:
        shell.run_cell(f"%%xanoscript\n{DERIVED}", store_history=True)
        result = shell.run_cell(f"%%xanoscript -o\n{DERIVED}", store_history=True)
        shell.run_cell(f"%%xanoscript -v kept --input user_id=1\n{SEED_API_KEY}")
        shell.run_cell("%xs_db api_keys")
    raw = result.result.raw
    secrets = [*all_secrets(raw), shell.user_ns["kept"].raw["api_key"]]
    kept = [captured.stdout, captured.stderr, repr(shell.user_ns["Out"]), repr(shell.user_ns["_"])]
    for output in captured.outputs:
        kept += [
            json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v
            for v in output.data.values()
        ]
    for secret in secrets:
        for text in kept:
            assert pieces(secret, text) == []
    assert raw["b64"] != secrets[0]  # the raw response is still there for .raw


def test_error_messages_hold_no_key_material() -> None:
    # keygen's message describes a rejected format by its length only (describe_rejected).
    cell = DERIVED.split("response")[0] + (
        "security.create_secret_key {\n  bits = 512\n  format = $key.k\n} as $other\n"
    )
    with pytest.raises(XanoScriptRuntimeError) as caught:
        run(cell)
    message = str(caught.value)
    assert message.startswith('line 6: security.create_secret_key: format must be "object"')
    assert "got a str of" in message and "$key" not in message


def test_env_values_and_text_keys_are_secrets() -> None:
    cell = "response = { s: $env.JWT_SECRET, part: `$env.JWT_SECRET|substr:3:10` }\n"
    secret = "correct-horse-battery-staple-0123456789"
    response = run(cell, env={"JWT_SECRET": secret})
    assert pieces(secret, repr(response)) == []
    assert response.raw["s"] == secret


def test_scrub_hides_every_run_of_key_material_in_a_message() -> None:
    book = SecretBook(["abcdefghijklmnopqrstuvwxyz"])
    assert book.scrub("got 'cdefghijkl' and 'xyz' and 'mnopqrstu!'") == (
        "got '‹hidden›' and 'xyz' and '‹hidden›!'"
    )


def doubled(leaf: Any, times: int) -> Any:
    """``[x, x]`` nested ``times`` deep: 2**times leaves, ``times`` distinct lists."""
    value = leaf
    for _ in range(times):
        value = [value, value]
    return value


def test_a_value_doubled_thirty_times_is_checked_and_shown_in_bounded_work() -> None:
    secret = "abcdefghijklmnopqrstuvwxyz0123456789"
    book = SecretBook([secret])
    value = doubled(secret[:3], 30)  # 1e9 leaves if walked as a tree
    assert not book.covers(value)  # shared lists are visited once
    tainted = book.taint(value, "slice of key x")
    assert book.covers(tainted)
    shown = book.mask(tainted)
    leaves, stack = [], [shown]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        else:
            leaves.append(item)
    assert "‹not shown: more than 10000 items›" in leaves
    assert all(leaf.startswith("‹") for leaf in leaves)  # every piece a placeholder


def test_nesting_deeper_than_the_interpreter_allows_is_walked_without_recursion() -> None:
    book = SecretBook(["abcdefghijklmnopqrstuvwxyz"])
    value: Any = "abcdefghij"
    for _ in range(50_000):
        value = {"a": [value]}
    assert book.covers(value)
    shown = json.dumps(book.mask(value))
    assert "nested deeper than 64 levels" in shown and "abcdefghij" not in shown


def test_a_circular_value_is_walked_and_shown_without_hanging() -> None:
    book = SecretBook(["abcdefghijklmnopqrstuvwxyz"])
    loop: list[Any] = ["abcdefghij"]
    loop.append(loop)
    assert book.covers(loop)
    assert book.covers(book.tag(loop))
    assert "abcdefghij" not in json.dumps(book.mask(loop))


def test_a_response_keeps_its_raw_value_out_of_vars() -> None:
    response = run(DERIVED)
    with pytest.raises(TypeError):
        vars(response)
    assert response.raw["k"] == response.reveal().raw["k"]
