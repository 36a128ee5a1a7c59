"""xsk_nb.scan on the planted-leak corpus: every plant found as expected, no decoy reported,
and nothing the scanner writes (text, JSON, SARIF) holds a piece of any key it found."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

import xsk_nb
from tests.leakcheck import key_pieces_in
from xsk_nb.scan import output
from xsk_nb.scan.findings import EXAMPLE, EXAMPLE_NOTE, LEAK, REVEALED


def _fp(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@pytest.fixture(scope="module")
def result(corpus: tuple[Path, list[Any]]) -> Any:
    return xsk_nb.scan([corpus[0]], baseline=False)


def test_every_planted_key_is_found_with_its_status(corpus: tuple[Path, list[Any]],
                                                     result: Any) -> None:
    plants = corpus[1]
    by_fp: dict[str, set[str]] = {}
    for finding in result.findings:
        by_fp.setdefault(finding.fingerprint, set()).add(finding.status)
    missed = [f"{p.file}: {p.place}" for p in plants
              if p.expected in (LEAK, REVEALED) and by_fp.get(_fp(p.secret)) != {p.expected}]
    assert not missed, missed
    allowed = [p for p in plants if p.expected == "allowed"]
    assert not [p.place for p in allowed if _fp(p.secret) in by_fp]
    assert result.allowed == len(allowed)
    assert result.problems == []


def test_no_decoy_is_reported_and_published_examples_are_named(
    corpus: tuple[Path, list[Any]], result: Any
) -> None:
    planted = {_fp(p.secret) for p in corpus[1]}
    extra = [f for f in result.findings if f.fingerprint not in planted]
    assert extra and {f.status for f in extra} == {EXAMPLE}
    assert {Path(f.file).name for f in extra} == {"published_and_ids.md"}
    assert EXAMPLE_NOTE == "a published example key: never use it"
    assert all(EXAMPLE_NOTE in f.summary() for f in extra)


def test_places_and_kinds_are_named(result: Any) -> None:
    notebook = [f for f in result.findings if f.file.endswith("corpus/leaky.ipynb")]
    wheres = {f.where for f in notebook}
    for place in ("cell 1, source", "cell 2, output 1 (stdout)",
                  "cell 3, output 1 (text/plain)", "cell 3, output 1 (text/html)",
                  "cell 4, output 1 (application/json)", "cell 5, output 1 (error)",
                  "cell 6, metadata", "cell 7, source", "cell 8, attachment env.txt (text/plain)",
                  "notebook metadata", "saved widget state"):
        assert place in wheres, place
    kinds = {f.kind for f in result.findings}
    assert kinds == {"jwk", "jwks", "token", "assigned-secret", "key-sized-string"}
    tokens = {f.detail for f in result.findings if f.kind == "token"}
    assert any("signed with a weak secret from a public list" in d for d in tokens)
    assert any("exp 364 days away" in d and "kid 'signing-1'" in d for d in tokens)
    assert any("no exp (valid forever)" in d and "alg HS512" in d for d in tokens)
    weak_env = [f for f in result.findings if f.file.endswith(".env") and "weak" in f.detail]
    assert len(weak_env) == 1


def test_the_scanners_outputs_hold_no_piece_of_any_key(corpus: tuple[Path, list[Any]],
                                                        result: Any) -> None:
    texts = {
        "text": output.to_text(result),
        "json": output.to_json(result),
        "sarif": json.dumps(output.to_sarif(result, xsk_nb.__version__)),
        "repr": repr(result.findings),
    }
    for name, text in texts.items():
        for plant in corpus[1]:
            assert not key_pieces_in(text, plant.secret), f"{name}: {plant.place}"
    labels = [f.label for f in result.findings]
    assert all(label.startswith("‹hidden: ") for label in labels)


def test_revealed_outputs_are_listed_apart(result: Any) -> None:
    text = output.to_text(result)
    assert "Revealed on purpose" in text
    revealed = [f for f in result.findings if f.status == REVEALED]
    assert {f.where for f in revealed} == {"cell 9, output 1 (text/plain)"}
