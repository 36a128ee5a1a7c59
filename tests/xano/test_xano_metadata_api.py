"""The Metadata API client and the profile: the token stays out of repr, pickle and messages."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from xano_standin import TOKEN, write_profile

from xsk_nb.xano.metadata_api import MetadataClient, Scope, check_origin, check_token
from xsk_nb.xano.profile import load_profile


def test_the_client_never_shows_or_pickles_its_token() -> None:
    client = MetadataClient("https://x1a2.n7.xano.io/", TOKEN)
    assert client.origin == "https://x1a2.n7.xano.io"
    assert TOKEN not in repr(client) and "not shown" in repr(client)
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(client)


def test_the_profile_never_shows_its_token(home: Path) -> None:
    write_profile(home, "https://x1a2.n7.xano.io", name="work")
    profile = load_profile("work")
    assert profile.access_token == TOKEN and profile.workspace == "1"
    assert TOKEN not in repr(profile)


@pytest.mark.parametrize("token", ["", "two words", "line\nbreak", "tab\t", "é" * 3, 5])
def test_a_malformed_token_is_refused_without_repeating_it(token: object) -> None:
    with pytest.raises(ValueError, match="Metadata API access token") as refused:
        check_token(token)
    assert str(token) not in str(refused.value) or not str(token)


def test_origins_keep_only_https_and_a_host() -> None:
    assert check_origin("https://a.xano.io:8443") == "https://a.xano.io:8443"
    for bad in ("http://a.xano.io", "https://a.xano.io/path", "https://a.xano.io?x=1",
                "https://u@a.xano.io", "https://a.xano.io:99999", "", None):  # fmt: skip
        with pytest.raises(ValueError, match="instance origin"):
            check_origin(bad)


def test_scope_paths_are_percent_encoded() -> None:
    assert Scope().path() == "/api:meta/sandbox"
    assert Scope("a b/c", "1").path() == "/api:meta/workspace/1/tenant/a%20b%2Fc"
