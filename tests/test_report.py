"""KeyReport: every display form masks the key unless revealed, and says the same things."""

from __future__ import annotations

import json
import pickle
import re

import pytest
from leakcheck import assert_no_key_material

from xsk_nb.keygen import ALLOWED_BITS, create_secret_key, key_bytes
from xsk_nb.masking import masked
from xsk_nb.report import MASK_NOTE, REVEAL_WARNING, KeyReport


@pytest.fixture(scope="module", params=ALLOWED_BITS)
def report(request: pytest.FixtureRequest) -> KeyReport:
    return KeyReport(create_secret_key(request.param, alg="HS256", kid="random"))


def all_forms(report: KeyReport) -> dict[str, str]:
    bundle = report._repr_mimebundle_()
    return {
        "repr": repr(report),
        "str": str(report),
        "format": f"{report}",
        "text/plain": bundle["text/plain"],
        "text/html": bundle["text/html"],
        "to_dict": json.dumps(report.to_dict()),
        "stats": repr(report.stats) + json.dumps(report.stats.as_dict()),
    }


def test_no_form_holds_key_material(report: KeyReport) -> None:
    k = report.jwk()["k"]
    for form, text in all_forms(report).items():
        assert_no_key_material(text, k, form)


def test_every_form_shows_size_label_and_verdict(report: KeyReport) -> None:
    stats = report.stats
    for form in ("text/plain", "text/html"):
        text = all_forms(report)[form]
        assert f"{stats.n_bits} bits" in text and f"{stats.n_bytes} bytes" in text, form
        assert report.label in text and stats.verdict in text, form
        assert all(fit.alg in text for fit in report.hmac), form
    data = report.to_dict()
    assert (data["bits"], data["bytes"]) == (stats.n_bits, stats.n_bytes)
    assert data["base64url_length"] == len(report.jwk()["k"])
    assert data["jwk"]["k"] == masked(report.jwk()["k"])
    assert data["jwk"]["alg"] == "HS256" and data["jwk"]["kid"] == report.jwk()["kid"]
    assert data["revealed"] is False


def test_masked_forms_explain_and_revealed_forms_warn(report: KeyReport) -> None:
    assert MASK_NOTE in report.to_text() and REVEAL_WARNING not in report.to_text()
    shown = report.reveal()
    k = report.jwk()["k"]
    for form in ("text/plain", "text/html", "to_dict"):
        assert k in all_forms(shown)[form], form
    assert REVEAL_WARNING in shown.to_text()
    assert 'class="xsk-reveal-warning"' in shown.to_html()
    assert f'<span class="xsk-revealed-k">{k}</span>' in shown.to_html()
    assert report.revealed is False  # revealing makes a new report; the original stays masked


def test_html_carries_the_classes_browser_tests_use(report: KeyReport) -> None:
    page = report.to_html()
    for css in ("xsk-report-card", "xsk-masked-k", "xsk-stats", "xsk-hmac", "xsk-verdict"):
        assert f'class="{css}"' in page
    assert f'data-bits="{report.bits}"' in page


def test_labels_tell_keys_apart_and_are_stable() -> None:
    a, b = KeyReport.generate(512), KeyReport.generate(512)
    assert a.label != b.label  # 24-bit labels: collision chance 6e-8
    assert KeyReport(a.jwk()).label == a.label
    assert re.fullmatch(r"[0-9a-f]{6}", a.label)


def test_text_is_deterministic_apart_from_the_key() -> None:
    """nbval compares outputs: only the label and the observed numbers may differ."""

    def skeleton(text: str) -> str:
        text = re.sub(r"key [0-9a-f]{6}", "key L", text)
        text = re.sub(r"\d+\.\d+|p=\S+|\b\d+\b", "N", text)
        return re.sub(r" +", " ", text)  # numbers are right-aligned: padding varies with width

    assert skeleton(KeyReport.generate(512).to_text()) == skeleton(
        KeyReport.generate(512).to_text()
    )
    assert skeleton(KeyReport.generate(512).to_html()) == skeleton(
        KeyReport.generate(512).to_html()
    )


def test_bundle_offers_html_not_a_json_tree() -> None:
    """JupyterLab ranks application/json above text/html: offering it would hide the card."""
    assert set(KeyReport.generate(512)._repr_mimebundle_()) == {
        "text/plain",
        "text/html",
        "image/png",
    }


def test_plot_is_a_png_of_scalars_only() -> None:
    report = KeyReport.generate(512)
    png = report._repr_mimebundle_()["image/png"]
    assert png.startswith(b"\x89PNG")
    assert "image/png" not in KeyReport(report.jwk(), plot=False)._repr_mimebundle_()
    assert len(report.figure().axes) == 6  # 2 statistics + 4 tests, one scalar each


def test_jwk_returns_a_copy() -> None:
    report = KeyReport.generate(512)
    report.jwk()["k"] = "tampered"
    assert len(key_bytes(report.jwk())) == 64


def test_a_report_cannot_be_pickled() -> None:
    with pytest.raises(TypeError, match="not picklable"):
        pickle.dumps(KeyReport.generate(512))


@pytest.mark.parametrize(
    ("jwk", "error"),
    [({"kty": "RSA"}, ValueError), ("k", TypeError), ({"kty": "oct", "k": "=="}, ValueError)],
)
def test_bad_jwk_is_refused_without_echo(jwk: object, error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        KeyReport(jwk)  # type: ignore[arg-type]
    assert "==" not in str(info.value)
