"""The seed's three XanoScript examples, pasted verbatim, run and return the documented shapes."""

# ruff: noqa: E501 - the seed's text is kept verbatim, long lines included

from __future__ import annotations

import pytest

from xsk_nb.keygen import b64url_decode
from xsk_nb.xanoscript import NotebookDatabase, run

SEED_BASIC = """\
query "create-secret-key" verb=GET {
  input {
    int bits?=2048 { description = "Key size in bits" }
  }

  stack {
    security.create_secret_key {
      bits = $input.bits
      format = "object"
    } as $key
  }

  response = {
    bits: $input.bits,
    key: $key
  }
}
// Returns: { "bits": 2048, "key": { "kty": "oct", "k": "..." } }
"""

SEED_SMALL = """\
query "small-key" verb=GET {
  input {}

  stack {
    security.create_secret_key {
      bits = 512
      format = "object"
    } as $key
  }

  response = $key
}
// Returns: { "kty": "oct", "k": "GKSJXqhQ26xQ9zqT1ca3iGtMrZjzwmm1g9hSYaxUzAOzDT1JbsRu91FdXTp18cUDGg6_ct_jtMOTXTXQCM_b6g" }
"""

SEED_API_KEY = """\
query "create-api-key" verb=POST {
  input {
    int user_id { description = "User to generate API key for" }
  }

  stack {
    // Generate secret key
    security.create_secret_key {
      bits = 2048
      format = "object"
    } as $key

    // Store in database
    db.add "api_keys" {
      data = {
        user_id: $input.user_id,
        key_id: `$key.k|slice:0:16`,
        key_secret: $key.k,
        created_at: `now`
      }
    } as $record
  }

  response = {
    key_id: `$key.k|slice:0:16`,
    api_key: $key.k
  }
}
"""


def test_basic_example_returns_bits_and_a_jwk_of_the_default_size() -> None:
    response = run(SEED_BASIC)
    assert set(response.raw) == {"bits", "key"}
    assert response.raw["bits"] == 2048
    assert set(response.raw["key"]) == {"kty", "k"}
    assert response.raw["key"]["kty"] == "oct"
    assert len(b64url_decode(response.raw["key"]["k"])) == 256


@pytest.mark.parametrize(("bits", "chars"), [(512, 86), (1024, 171), (4096, 683)])
def test_basic_example_takes_bits_from_the_input(bits: int, chars: int) -> None:
    response = run(SEED_BASIC, {"bits": str(bits)})
    assert response.raw["bits"] == bits
    assert len(response.raw["key"]["k"]) == chars


def test_small_key_example_returns_a_bare_512_bit_jwk() -> None:
    response = run(SEED_SMALL)
    assert set(response.raw) == {"kty", "k"}
    assert len(b64url_decode(response.raw["k"])) == 64


def test_api_key_example_returns_key_id_and_api_key_and_stores_the_row() -> None:
    db = NotebookDatabase()
    response = run(SEED_API_KEY, {"user_id": "42"}, db=db)
    raw = response.raw
    assert set(raw) == {"key_id", "api_key"}
    assert raw["key_id"] == raw["api_key"][:16]
    assert len(raw["api_key"]) == 342
    assert db.tables() == {"api_keys": 1}
    (row,) = db.rows("api_keys")
    assert row["id"] == 1
    assert row["user_id"] == 42
    assert row["key_id"] == raw["key_id"]
    assert row["key_secret"] == raw["api_key"]
    assert isinstance(row["created_at"], int) and row["created_at"] > 1_600_000_000_000


def test_api_key_example_warns_that_slice_is_an_array_filter() -> None:
    response = run(SEED_API_KEY, {"user_id": "1"})
    (warning,) = response.warnings
    assert warning.startswith("lines 17, 25: slice")
    assert "substr" in warning


def test_every_seed_example_masks_its_key_in_the_display() -> None:
    response = run(SEED_API_KEY, {"user_id": "1"})
    shown = repr(response)
    assert "‹hidden: 342 chars, key " in shown
    assert "‹hidden: first 16 chars of key " in shown
    assert response.raw["api_key"][:8] not in shown
