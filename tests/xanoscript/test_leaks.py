"""Issue 14's XanoScript leaks: no display of anything a cell made shows a drawn key's characters.

Every key the kit draws is recorded (``secrets.token_bytes`` is wrapped), and every form a
notebook keeps is scanned: the display data IPython would save (text/plain and text/html), the
repr, ``.masked``, Out/_ and what was printed. The scan looks for any 7 consecutive characters of
a drawn key: a random 86-character key shares a given 7-character window with unrelated text
with probability 64**-7 = 2.3e-13 per position, so ~80 windows over ~10,000 characters of output
give a false alarm below 2e-7 per scan. Short pieces (1-6 characters) cannot be found by a scan,
so for them the test reads the value shown in the place the piece was put.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import sqlite3
import stat
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("IPYTHONDIR", tempfile.mkdtemp(prefix="xsk-ipython-"))

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from shell import captured_texts, xanoscript_shell

from xanoscript.test_seed import SEED_API_KEY
from xsk_nb.keygen import b64url_encode
from xsk_nb.xanoscript import NotebookDatabase, XanoScriptError, run
from xsk_nb.xanoscript.filters import FILTERS
from xsk_nb.xanoscript.magic import XanoScriptMagics
from xsk_nb.xanoscript.response import TableView

SCAN = 7


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The base64url text of every key drawn while the test runs."""
    keys: list[str] = []
    real = secrets.token_bytes

    def recording(n: int | None = None) -> bytes:
        data = real(n)
        keys.append(b64url_encode(data))
        return data

    monkeypatch.setattr(secrets, "token_bytes", recording)
    return keys


shell = pytest.fixture(name="shell")(xanoscript_shell)


def display_forms(shell: InteractiveShell, shown: Any) -> list[str]:
    formats, _ = shell.display_formatter.format(shown)
    forms = [*formats.values(), repr(shown)]
    if hasattr(shown, "masked"):
        forms.append(json.dumps(shown.masked, ensure_ascii=False))
    if hasattr(shown, "rows"):
        forms.append(json.dumps(shown.rows, ensure_ascii=False))
    return forms


def assert_no_key_characters(keys: list[str], texts: list[str]) -> None:
    assert keys, "the recorder saw no key drawn"
    for k in keys:
        for text in texts:
            found = [k[i : i + SCAN] for i in range(len(k) - SCAN + 1) if k[i : i + SCAN] in text]
            assert not found, f"{len(found)} pieces of a drawn key are shown"


PIECES = ", ".join(f"`$key.k|slice:{7 * i}:7`" for i in range(13))
PIECES_IN_ONE = ", ".join(f"$key.k|slice:{7 * i}:7" for i in range(13))
THIRTEEN_PIECES = (
    'security.create_secret_key {\n  bits = 512\n  format = "object"\n} as $key\n\n'
    f"response = {{\n  pieces: [{PIECES}],\n  joined: `[{PIECES_IN_ONE}]|json_encode`,\n"
    "  by_substr: `$key.k|substr:0:7`\n}\n"
)


def test_thirteen_short_pieces_and_their_json_show_no_key_character(
    shell: InteractiveShell, drawn: list[str]
) -> None:
    response = run(THIRTEEN_PIECES)
    (k,) = drawn
    assert "".join(response.raw["pieces"]) == k  # the cell really rebuilt the key
    forms = display_forms(shell, response)
    assert_no_key_characters(drawn, forms)
    for piece, shown in zip(response.raw["pieces"], response.masked["pieces"], strict=True):
        assert shown.startswith("‹hidden: ") and f'"{piece}"' not in forms[0]


@pytest.mark.parametrize("length", [1, 2, 3, 4, 5, 6, 7])
@pytest.mark.parametrize("how", ["slice", "substr"])
def test_a_piece_of_any_length_is_shown_as_a_placeholder(
    drawn: list[str], length: int, how: str
) -> None:
    cell = (
        'security.create_secret_key {\n  bits = 512\n  format = "object"\n} as $key\n'
        f"response = {{ piece: `$key.k|{how}:3:{length}`, twice: `$key.k|{how}:3:{length}"
        f"|to_upper|{how}:0:1` }}\n"
    )
    response = run(cell)
    assert len(response.raw["piece"]) == length
    assert response.masked["piece"].startswith("‹hidden: ")
    assert response.masked["twice"].startswith("‹hidden: ")
    assert f'"{response.raw["piece"]}"' not in repr(response)


DB_PIECES = """\
security.create_secret_key {
  bits = 512
  format = "object"
} as $key

db.add "pieces" {
  data = { a: `$key.k|slice:0:3`, b: `$key.k|substr:3:5`, whole: $key.k, note: "plain" }
} as $row
"""


def test_pieces_stored_by_db_add_are_masked_by_xs_db(
    shell: InteractiveShell, drawn: list[str]
) -> None:
    shell.run_line_magic("xs_db", "--file :memory:")
    with capture_output() as captured:
        shell.run_cell(f"%%xanoscript\n{DB_PIECES}")
        shell.run_cell("%xs_db pieces")
    texts = captured_texts(captured)
    assert_no_key_characters(drawn, texts)
    (k,) = drawn
    table = texts[-2]  # the %xs_db table's text/plain
    row = table.splitlines()[-1].split(" | ")
    assert row[4] == "plain"
    assert all(cell.startswith("‹hidden: ") for cell in row[1:4])
    assert f" {k[:3]} " not in f" {table} " and k[3:8] not in table


JWS_WITH_KEY = """\
security.create_secret_key {
  bits = 512
  format = "object"
} as $key

security.jws_encode {
  %s
  key = $key
  signature_algorithm = "HS256"
} as $token

response = $token
"""


@pytest.mark.parametrize(
    "arguments",
    [
        "claims = { sub: $key.k }",
        'claims = { sub: "1" }\n  headers = { kid: $key.k }',
        "claims = { sub: `$key.k|slice:0:5` }",
    ],
    ids=["claims", "headers", "short-piece-in-claims"],
)
def test_a_token_that_embeds_the_key_is_masked(
    shell: InteractiveShell, drawn: list[str], arguments: str
) -> None:
    response = run(JWS_WITH_KEY % arguments)
    assert response.raw.count(".") == 2
    forms = display_forms(shell, response)
    assert response.raw not in forms[0] and response.masked.startswith("‹hidden: ")
    assert_no_key_characters(drawn, forms)


def test_a_token_only_signed_with_the_key_is_shown(
    shell: InteractiveShell, drawn: list[str]
) -> None:
    response = run(JWS_WITH_KEY % 'claims = { sub: "1" }')
    assert response.masked == response.raw  # a signature does not show its key
    assert_no_key_characters(drawn, display_forms(shell, response))


def test_a_file_database_never_shows_a_stored_key_later(
    shell: InteractiveShell, drawn: list[str], tmp_path: Any
) -> None:
    path = tmp_path / "keys.db"
    with capture_output() as captured:
        shell.run_line_magic("xs_db", f"--file {path}")
        shell.run_cell(f"%%xanoscript --input user_id=1\n{SEED_API_KEY}")
        shell.run_line_magic("xs_db", "--file :memory:")
        shell.run_line_magic("xs_db", f"--file {path}")
        shell.run_line_magic("xs_db", "api_keys")
        shell.run_line_magic("xs_db", "")
    texts = captured_texts(captured)
    assert any("key_secret" in text for text in texts)  # the table was shown
    assert_no_key_characters(drawn, texts)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    (k,) = drawn
    with sqlite3.connect(path) as connection:  # the key is really in the file
        assert connection.execute("SELECT key_secret FROM api_keys").fetchone()[0] == k

    # A new session reading the same file: nothing of this process's memory helps it.
    later = NotebookDatabase(str(path))
    view = TableView("api_keys", later.rows("api_keys"), later.secrets)
    assert_no_key_characters(drawn, display_forms(shell, view))
    other = XanoScriptMagics(shell)
    other.db_path = str(path)
    assert "api_keys" in other.db.tables()


def test_a_file_written_by_another_tool_is_refused_when_loose_and_masked_whole(
    shell: InteractiveShell, drawn: list[str], tmp_path: Any
) -> None:
    """Issue 22 item 3: a loose key file is refused as every key file is (private_file), and
    its mode is left alone. Issue 24 leak 4: a table the kit holds no marker for is masked
    whole (a lower-cased or split key would pass a by-look rule)."""
    k = b64url_encode(secrets.token_bytes(64))
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE creds (id INTEGER PRIMARY KEY, name TEXT, secret TEXT)")
        connection.execute(
            "INSERT INTO creds (name, secret) VALUES ('svc-user', ?), (?, ?)",
            (k, k.lower()[:20], k.lower()[20:]),
        )
    os.chmod(path, 0o644)
    with pytest.raises(ValueError, match="has mode 644, so other users can read it"):
        NotebookDatabase(str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    os.chmod(path, 0o600)
    db = NotebookDatabase(str(path))
    view = TableView("creds", db.rows("creds"), db.secrets)
    shown = repr(view)
    assert "svc-user" not in shown  # every text of an unmarked table is masked
    assert "1 | ‹hidden" in shown  # the ids (numbers) stay visible
    assert_no_key_characters([k, k.lower()], display_forms(shell, view))


def test_error_messages_hide_a_quoted_short_piece(drawn: list[str]) -> None:
    cell = (
        'security.create_secret_key {\n  bits = 512\n  format = "object"\n} as $key\n'
        "security.create_secret_key {\n  bits = 512\n  format = `$key.k|substr:0:5`\n} as $b\n"
    )
    from xsk_nb.xanoscript import XanoScriptRuntimeError

    with pytest.raises(XanoScriptRuntimeError) as caught:
        run(cell)
    assert drawn[0][:5] not in str(caught.value)


HEADERS_FROM_INPUT = """\
query "sign" verb=POST {
  input {
    json key
    json headers
  }
  stack {
    security.jws_encode {
      headers = $input.headers
      claims = { sub: "1" }
      key = $input.key
      signature_algorithm = "HS256"
    } as $token
  }
  response = $token
}
"""


@pytest.mark.parametrize(
    "headers",
    [
        lambda k: {"kid": 5},
        lambda k: {"crit": ["exp"]},
        lambda k: {"b64": False},
        lambda k: {"kid": [k]},
        lambda k: {k: 1, "kid": 5},
        lambda k: {"alg": k},
    ],
    ids=["kid-number", "crit", "b64", "kid-list-holding-key", "key-as-name", "key-as-alg"],
)
def test_errors_about_headers_are_one_sentence_without_values(
    drawn: list[str], headers: Any
) -> None:
    from xsk_nb.xanoscript import XanoScriptRuntimeError

    jwk = {"kty": "oct", "k": b64url_encode(secrets.token_bytes(64))}
    with pytest.raises(XanoScriptRuntimeError) as caught:
        run(HEADERS_FROM_INPUT, {"key": jwk, "headers": headers(jwk["k"])})
    message = str(caught.value)
    assert message.startswith("line 7: security.jws_encode: ") and "\n" not in message
    # nothing chained: a verbose traceback of it would have no library frame to show
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert_no_key_characters(drawn, [message])


def test_a_header_name_equal_to_the_key_makes_the_token_secret(
    shell: InteractiveShell, drawn: list[str]
) -> None:
    jwk = {"kty": "oct", "k": b64url_encode(secrets.token_bytes(64))}
    response = run(HEADERS_FROM_INPUT, {"key": jwk, "headers": {jwk["k"]: 1}})
    assert response.masked.startswith("‹hidden: ")
    assert_no_key_characters(drawn, display_forms(shell, response))


def test_a_failing_cell_under_verbose_tracebacks_shows_no_key(
    shell: InteractiveShell, drawn: list[str]
) -> None:
    cell = JWS_WITH_KEY % "claims = { sub: $key.k }\n  headers = { kid: 5 }"
    shell.run_line_magic("xmode", "Verbose")
    try:
        with capture_output() as captured:
            result = shell.run_cell(f"%%xanoscript\n{cell}")
    finally:
        shell.run_line_magic("xmode", "Context")
    assert not result.success
    assert "UsageError: line 6: security.jws_encode: headers kid must be text" in captured.stderr
    assert "Traceback" not in captured.stderr
    assert_no_key_characters(drawn, [captured.stdout, captured.stderr])


# ---- issue 24, the second hostile review: leaks 1-5 ------------------------------------------
KEY_CELL = 'security.create_secret_key {\n  bits = 512\n  format = "object"\n} as $key\n'


def texts_of(shell: InteractiveShell, cell: str) -> list[str]:
    """Everything a cell run through the magic showed: outputs, stdout, stderr, errors."""
    with capture_output() as captured:
        result = shell.run_cell(cell)
    texts = [captured.stdout, captured.stderr, str(result.error_in_exec or "")]
    for output in captured.outputs:
        texts += [str(value) for value in output.data.values()]
    return texts


@pytest.mark.parametrize(
    "declaration", ["text t filters=trim", "text t filters=upper", "json t", "text t"]
)
def test_function_inputs_and_their_filters_keep_the_taint(
    shell: InteractiveShell, drawn: list[str], declaration: str
) -> None:
    """Leak 1: a function whose input has filters=trim (or upper, or a json input) returned
    the key's text unmasked; in a loop of 13 calls the whole key came back in pieces."""
    as_json = declaration.startswith("json")
    value = "$key.k|json_encode" if as_json else "$key.k"
    piece = "`$key.k|slice:($i * 7):7|json_encode`" if as_json else "`$key.k|slice:($i * 7):7`"
    cell = (
        KEY_CELL + f'function "echo" {{\n  input {{\n    {declaration}\n  }}\n  stack {{}}\n'
        "  response = $input.t\n}\n"
        f'function.run "echo" {{ input = {{ t: {value} }} }} as $whole\n'
        "var $pieces { value = [] }\nfor (13) {\n  each as $i {\n"
        f'    function.run "echo" {{ input = {{ t: {piece} }} }} as $p\n'
        "    var.update $pieces { value = $pieces|push:$p }\n  }\n}\n"
        "response = { whole: $whole, pieces: $pieces }\n"
    )
    response = run(cell)
    (k,) = drawn
    assert "".join(response.raw["pieces"]).upper() == k.upper()  # really rebuilt
    assert_no_key_characters(drawn, display_forms(shell, response))
    assert all(shown.startswith("‹hidden") for shown in response.masked["pieces"])


def test_a_value_picked_by_a_secret_index_is_secret(
    shell: InteractiveShell, drawn: list[str]
) -> None:
    """Leak 2: a lookup table $t[$c] over $key.k|split:"" rebuilt the key unmasked."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    table = "{" + ", ".join(f'"{c}": "{c}"' for c in alphabet) + "}"
    cell = (
        KEY_CELL + f"var $t {{ value = {table} }}\nvar $out {{ value = [] }}\n"
        'foreach ($key.k|split:"") {\n  each as $c {\n'
        "    var.update $out { value = $out|push:$t[$c] }\n  }\n}\n"
        'response = { rebuilt: $out|join:"", by_list: $out }\n'
    )
    response = run(cell)
    (k,) = drawn
    assert response.raw["rebuilt"] == k  # the cell really rebuilt it
    assert_no_key_characters(drawn, display_forms(shell, response))
    assert all(shown.startswith("‹hidden") for shown in response.masked["by_list"])


@pytest.mark.parametrize(
    "failing",
    [
        "precondition (false) {\n  error = $key.k|slice:0:7\n}\n",
        'precondition (false) {\n  error_type = "unauthorized"\n  error = `$key.k|substr:3:6`\n}\n',
        'throw {\n  name = $key.k|slice:0:7\n  value = "x"\n}\n',
        'throw {\n  name = "E"\n  value = $key.k|slice:5:6\n}\n',
        'throw {\n  name = "E"\n  value = { p: `$key.k|slice:5:6` }\n}\n',
    ],
)
def test_error_messages_built_from_key_pieces_are_masked(
    shell: InteractiveShell, drawn: list[str], failing: str
) -> None:
    """Leak 3: precondition's error and throw's name/value put key pieces in the UsageError."""
    texts = texts_of(shell, f"%%xanoscript\n{KEY_CELL}{failing}")
    (k,) = drawn
    message = " ".join(texts)
    assert "UsageError" in message or "precondition failed" in message or "throw" in message
    # no 6 consecutive key characters anywhere in the error: 81 windows of a random
    # base64url key against a ~200-character message meet by chance with probability about
    # 81 * 200 / 64**6 = 2.4e-7
    pieces = [k[start : start + 6] for start in range(len(k) - 5)]
    assert not [piece for piece in pieces if piece in texts[2]]
    assert "‹hidden" in texts[2]


def test_db_marker_matches_any_case_and_survives_reopening(
    shell: InteractiveShell, drawn: list[str], tmp_path: Any
) -> None:
    """Leak 4: a table created as Keys and shown as keys or KEYS showed the stored pieces;
    after reopening the file the whole k was shown."""
    path = tmp_path / "keys.db"
    shell.run_line_magic("xs_db", f"--file {path}")
    texts = texts_of(
        shell,
        f'%%xanoscript\n{KEY_CELL}db.add "Keys" {{\n'
        "  data = { k: $key.k, p: `$key.k|slice:0:7` }\n}\n",
    )
    for name in ("keys", "KEYS", "Keys"):
        texts += texts_of(shell, f"%xs_db {name}")
    shell.run_line_magic("xs_db", "--file :memory: --reset")
    shell.run_line_magic("xs_db", f"--file {path}")
    for name in ("keys", "KEYS", "Keys"):
        texts += texts_of(shell, f"%xs_db {name}")
    (k,) = drawn
    assert_no_key_characters(drawn, texts)
    assert not any(k[:7] in text for text in texts)


def test_db_refuses_field_names_made_from_key_material(
    shell: InteractiveShell, drawn: list[str]
) -> None:
    """Leak 4: key pieces used as column names appeared in the header and placeholders."""
    shell.run_line_magic("xs_db", "--file :memory: --reset")
    texts = texts_of(
        shell,
        f'%%xanoscript\n{KEY_CELL}db.add "t" {{\n  data = {{}}|set:($key.k|substr:0:7):1\n}}\n',
    )
    texts += texts_of(shell, "%xs_db")
    (k,) = drawn
    assert "field name of db.add's data is made from key material" in texts[2]
    assert not any(k[:7] in text for text in texts)


def test_a_file_whose_marker_table_was_dropped_is_masked_whole(
    shell: InteractiveShell, drawn: list[str], tmp_path: Any
) -> None:
    """Leak 4: with the marker table dropped outside the kit, a by-look rule missed lower- or
    upper-cased and split-joined keys; now such a table is masked whole."""
    path = tmp_path / "k.db"
    db = NotebookDatabase(str(path))
    response = run(
        KEY_CELL + 'db.add "t" {\n  data = { low: $key.k|to_lower, up: $key.k|to_upper, '
        "half: `$key.k|slice:0:40` }\n}\n",
        db=db,
    )
    assert response is not None
    db.close()
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE xsk_secret_columns")
    reopened = NotebookDatabase(str(path))
    view = TableView("t", reopened.rows("t"), reopened.secrets)
    (k,) = drawn
    forms = display_forms(shell, view)
    assert_no_key_characters([k, k.lower(), k.upper()], forms)


def test_a_response_is_not_picklable_so_store_writes_no_key(
    shell: InteractiveShell, drawn: list[str], tmp_path: Any
) -> None:
    """Leak 5: %store of a %%xanoscript -v response wrote a plain pickle holding the key into
    IPython's profile folder (db/autorestore/)."""
    import pickle

    response = run(KEY_CELL + "response = $key\n")
    with pytest.raises(TypeError, match="is not picklable"):
        pickle.dumps(response)
    with pytest.raises(TypeError, match="is not picklable"):
        pickle.dumps(response.reveal())
    shell.run_cell(f"%%xanoscript -v made\n{KEY_CELL}response = $key\n")
    shell.run_line_magic("load_ext", "storemagic")
    texts = texts_of(shell, "%store made")
    profile = Path(shell.profile_dir.location)
    for file in profile.rglob("*"):
        if file.is_file():
            texts.append(file.read_bytes().decode("latin-1"))
    assert_no_key_characters(drawn, texts)


# security.encrypt / jwe_encode (xano-inc/cli@eb4d11d skills security-encrypt, line 47, and
# security-jwe-encode, line 69): the key never shows; a ciphertext or token made with it does.
ENCRYPT_WITH_DRAWN_KEY = """\
security.random_bytes { length = 32 } as $k
security.random_bytes { length = 16 } as $iv
security.encrypt { data = "Hello World" algorithm = "aes-256-cbc" key = $k iv = $iv } as $c
debug.log { value = $k }
response = {c: `$c|base64_encode`, k: $k, k64: `$k|base64_encode`, khex: `$k|bin2hex`}
"""


def test_an_encryption_key_from_random_bytes_never_shows(
    shell: InteractiveShell, drawn: list[str]
) -> None:
    response = run(ENCRYPT_WITH_DRAWN_KEY)
    key_b64url, _iv = drawn
    raw_key = base64.urlsafe_b64decode(key_b64url + "=")
    forms = [*display_forms(shell, response), *response.warnings]
    for form in (raw_key.hex(), base64.b64encode(raw_key).decode()):
        assert not any(form[i : i + SCAN] in text for text in forms for i in range(0, 40, 8))
    assert_no_key_characters([key_b64url], forms)
    assert response.raw["c"] in forms[0]  # the ciphertext is shown


def test_a_jwe_token_is_shown_and_its_key_is_not(shell: InteractiveShell, drawn: list[str]) -> None:
    cell = (
        'security.create_secret_key { bits = 512 format = "object" } as $key\n'
        'security.jwe_encode { headers = {} claims = { a: 1 } key = $key key_algorithm = "A256KW"'
        ' content_algorithm = "A256GCM" ttl = 0 } as $token\n'
        "response = {token: $token, key: $key}\n"
    )
    response = run(cell)
    key = drawn[0]  # the later draws are the token's content key and iv
    forms = [*display_forms(shell, response), *response.warnings]
    assert_no_key_characters([key], forms)
    assert response.raw["token"] in forms[0]


def test_cipher_errors_never_quote_the_key() -> None:
    key = "k3y-" + secrets.token_hex(16)  # 36 characters: too long for aes-256-cbc
    cell = (
        f'security.encrypt {{ data = "d" algorithm = "aes-256-cbc" key = "{key}" '
        'iv = "0123456789abcdef" } as $c\n'
    )
    with pytest.raises(XanoScriptError) as caught:
        run(cell)
    assert "takes a key of 32 bytes" in str(caught.value)
    assert key[:SCAN] not in str(caught.value) and key[-SCAN:] not in str(caught.value)


# ---- every filter, on key material ----------------------------------------------------------
# Each filter runs on a piece of a drawn key with arguments that are pieces too (and with
# plain arguments), at every arity it takes. Whatever it returns or refuses, the response's
# display and the caught $error show no 12-character piece of the key: 12 random base64url
# characters recur by chance in a few kilobytes with probability below 1e-17.

WINDOW = 12


def _filter_cell(name: str, args: list[str]) -> str:
    call = name + "".join(f":{arg}" for arg in args)
    return (
        'security.create_secret_key {\n  bits = 512\n  format = "object"\n} as $key\n'
        "var $r { value = null }\n"
        "var $e { value = null }\n"
        "try_catch {\n  try {\n"
        f"    var.update $r {{ value = ($key.k|substr:0:40)|{call} }}\n"
        "  }\n  catch {\n    var.update $e { value = $error }\n  }\n}\n"
        "response = { r: $r, e: $e }\n"
    )


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_no_filter_shows_key_material_in_its_result_or_its_refusal(
    name: str, drawn: list[str]
) -> None:
    spec = FILTERS[name]
    piece_args = ["($key.k|substr:40:20)", "($key.k|substr:60:20)", "($key.k|substr:20:20)"]
    plain_args = ['"a"', "1", "true"]
    for count in range(spec.min_args, spec.max_args + 1):
        for args in (piece_args[:count], plain_args[:count]):
            response = run(_filter_cell(name, args))
            (key,) = drawn[-1:]
            shown = [repr(response), response._repr_html_(), *response.warnings]
            error = response.raw["e"]
            if error is not None:  # the message itself, not only its masked display
                shown.append(json.dumps(error, ensure_ascii=False))
            for text in shown:
                pieces = [key[i : i + WINDOW] for i in range(len(key) - WINDOW + 1)]
                assert not [p for p in pieces if p in text], f"{name}:{args} shows key material"
