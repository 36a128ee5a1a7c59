"""KeyReport: every display form masks the key unless revealed, and says the same things."""

from __future__ import annotations

import html
import json
import math
import pickle
import re
import subprocess
import sys

import pytest
from leakcheck import assert_no_key_material

from xsk_nb import masking
from xsk_nb.contract import ALLOWED_BITS
from xsk_nb.disclosure import SHOWN_DECIMALS, SHOWN_STATISTICS
from xsk_nb.keygen import create_secret_key, key_bytes
from xsk_nb.masking import masked
from xsk_nb.report import EFFECTIVE_BITS_NOTE, KeyReport

VIEWS = (masking.NOTEBOOK, masking.APP, masking.TERMINAL)


@pytest.fixture(scope="module", params=ALLOWED_BITS)
def report(request: pytest.FixtureRequest) -> KeyReport:
    return KeyReport(create_secret_key(request.param, alg="HS256", kid="random"), view="notebook")


def all_forms(report: KeyReport) -> dict[str, str]:
    bundle = report._repr_mimebundle_()
    if isinstance(bundle, tuple):  # (data, metadata): a revealed report (agreement A2)
        bundle = bundle[0]
    return {
        "repr": repr(report),
        "str": str(report),
        "format": f"{report}",
        "text/plain": bundle["text/plain"],
        "text/html": bundle["text/html"],
        "to_dict": json.dumps(report.to_dict()),
        "vars": repr(vars(report)),
        "stats": repr(report.stats) + json.dumps(report.stats.as_dict()),
    }


def test_no_form_holds_key_material(report: KeyReport) -> None:
    k = report.jwk()["k"]
    for form, text in all_forms(report).items():
        assert_no_key_material(text, k, form)


def test_the_key_is_not_in_the_instance_dict(report: KeyReport) -> None:
    """Issue 14: vars(report) showed the key."""
    k = report.jwk()["k"]
    assert_no_key_material(repr(vars(report)), k, "vars(report)")
    assert_no_key_material(repr(vars(report.reveal())), k, "vars(report.reveal())")


def test_every_form_shows_size_label_and_verdict(report: KeyReport) -> None:
    stats = report.stats
    phrase = "gross defect found" if stats.gross_defect else "no gross defect found"
    for form in ("text/plain", "text/html"):
        text = html.unescape(all_forms(report)[form])
        assert f"{stats.n_bits} bits" in text and f"{stats.n_bytes} bytes" in text, form
        assert f"{stats.b64url_length} base64url characters" in text, form
        assert report.label in text and stats.verdict in text and phrase in text, form
        assert all(fit.alg in text for fit in report.hmac), form
        assert EFFECTIVE_BITS_NOTE in text, form  # wherever "effective bits" appears
        assert "a few bits" not in text, form
    data = report.to_dict()
    assert (data["bits"], data["bytes"]) == (stats.n_bits, stats.n_bytes)
    assert data["base64url_length"] == len(report.jwk()["k"])
    assert data["jwk"]["k"] == masked(report.jwk()["k"])
    assert data["jwk"]["alg"] == "HS256" and data["jwk"]["kid"] == report.jwk()["kid"]
    assert data["revealed"] is False


def test_summary_line_comes_first_with_three_badges(report: KeyReport) -> None:
    page = report.to_html()
    summary = re.search(r'<div class="xsk-summary">(.*?)</div>', page)
    assert summary and page.index('class="xsk-summary"') < page.index("<details")
    assert summary.group(1).count('class="xsk-badge ') == 3
    for fit in report.hmac:
        state = "too short" if not fit.meets_minimum else (
            f"hashed to {fit.minimum_bits} bits" if fit.hashed_first else "as is")  # fmt: skip
        assert f"{fit.alg} {'✓' if fit.meets_minimum else '✗'} {state}" in summary.group(1)
    # The conclusion comes first, then the title and sizes, then the badges.
    text_first_lines = report.to_text().splitlines()[:3]
    assert text_first_lines[0] == report.rows().conclusion
    assert report.label in text_first_lines[1] and "[HS256" in text_first_lines[2]
    assert page.index('class="xsk-conclusion') < page.index('class="xsk-summary"')
    # The statistics sit in a collapsible section, the p-value note once.
    assert page.count("<details") == 1 and page.count('class="xsk-p-note"') == 1
    assert report.to_text().count("p-values:") == 1


def test_shown_and_saved_values_are_rounded(report: KeyReport) -> None:
    """Issue 14: full-precision statistics identify a key; shown and saved values are rounded."""
    stats = report.stats
    saved = report.to_dict()["stats"]
    assert saved["shannon"] == round(stats.shannon.observed, 2)
    assert saved["distinct_bytes"] == round(stats.distinct_bytes.observed)
    assert isinstance(saved["distinct_bytes"], int)
    for test in stats.tests:
        want = None if test.p_value is None else round(test.p_value, 2)
        assert saved[test.name] == want, test.name
    assert SHOWN_DECIMALS == {"shannon": 2, "distinct_bytes": 0, "p_value": 2}
    # What the card prints in its "this key" column: at most 2 decimals.
    table = report.to_html().split('class="xsk-stats"')[1].split("</table>")[0]
    shown = re.findall(r'<th scope="row">[^<]*</th><td class="xsk-num">([^<]*)</td>', table)
    assert len(shown) == len(SHOWN_STATISTICS)  # every statistic the leak figure counts
    for value in shown:
        assert re.fullmatch(r"(p = )?\d+(\.\d\d)?|n/a", value), value
    # The visual's marks are placed from the rounded values, at 0.1 % steps.
    for left in re.findall(r'class="xsk-marker" style="left:([^%]*)%', report.to_html()):
        assert re.fullmatch(r"\d+(\.\d)?", left), left


def test_one_row_model_feeds_text_and_html(report: KeyReport) -> None:
    rows = report.rows()
    text, page = report.to_text(), report.to_html()
    for row in rows.stats:
        assert row.label in text and row.label in page
        assert row.shown in text and row.shown in page
        assert row.expected in text and row.expected in page
    for row in rows.hmac:
        assert row.badge in text and row.badge in page


def test_text_table_columns_align(report: KeyReport) -> None:
    """Labels left-aligned, numbers right-aligned: each column ends at one position."""
    text = report.to_text()
    rows = report.rows().stats
    lines = {row.label: next(line for line in text.splitlines() if line.startswith(
        "  " + row.label)) for row in rows}  # fmt: skip
    value_ends = {line.index(row.shown, len(row.label) + 2) + len(row.shown)
                  for row in rows for line in [lines[row.label]]}  # fmt: skip
    expected_ends = {len(lines[row.label]) for row in rows}
    assert len(value_ends) == 1 and len(expected_ends) == 1, text
    hmac_lines = [line for line in text.splitlines() if re.match(r"  HS\d{3} ", line)]
    assert len(hmac_lines) == 3
    assert len({line.index(" ok") if " ok" in line else line.index(" too") for line in
                hmac_lines}) == 1  # fmt: skip


def test_p_value_note_is_computed_for_the_key_size() -> None:
    """P(monobit p = 1) at n bits, summed independently over Binomial(n, ½) with math.erfc."""
    for bits in (512, 4096):
        n = bits
        mass = sum(
            math.comb(n, ones) / 2**n
            for ones in range(n + 1)
            if round(math.erfc(abs(2 * ones - n) / math.sqrt(2 * n)), 2) == 1.0
        )
        note = KeyReport.generate(bits).rows().p_note
        assert f"P(monobit p = 1) = {mass:.1%}" in note, (note, mass)
    assert math.isclose(math.comb(512, 256) / 2**512, 0.0352, abs_tol=5e-4)  # issue 9: ≈ 3.5%


@pytest.mark.parametrize("view", VIEWS)
def test_wording_fits_where_it_shows(view: str) -> None:
    report = KeyReport.generate(512).in_view(view)
    masked_text, revealed_text = report.to_text(), report.reveal().to_text()
    assert masking.MASK_NOTES[view] in masked_text
    assert masking.REVEAL_WARNINGS[view] in revealed_text
    assert masking.MASK_NOTES[view] not in revealed_text
    for text in (masked_text, revealed_text, report.to_html(), report.reveal().to_html()):
        if view != masking.NOTEBOOK:
            assert "saved with the notebook" not in text
        if view == masking.APP:  # an app's user cannot call Python (a terminal or python can)
            assert ".reveal()" not in text
        if view == masking.NOTEBOOK:
            assert "saved with the notebook" in text
        assert "Seed's" not in text and "seed's" not in text


def test_revealed_forms_show_the_key_whole_and_selectable(report: KeyReport) -> None:
    shown = report.reveal()
    k = report.jwk()["k"]
    for form in ("text/plain", "text/html", "to_dict"):
        assert k in all_forms(shown)[form], form
    page = shown.to_html()
    assert 'class="xsk-reveal-warning"' in page
    assert f'<span class="xsk-revealed-k">{k}</span>' in page
    rule = re.search(r"\.xsk-revealed-k\{([^}]*)\}", page)
    assert rule and "user-select:all" in rule.group(1) and "word-break:break-all" in rule.group(1)
    assert report.revealed is False  # revealing makes a new report; the original stays masked


def test_styles_use_theme_variables_not_inline_colours() -> None:
    page = KeyReport.generate(512).to_html()
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert style is not None
    for variable in ("--jp-ui-font-family", "--jp-layout-color1", "--jp-border-color2",
                     "--jp-content-font-color1", "--jp-error-color1"):  # fmt: skip
        assert f"var({variable}," in style.group(1), variable  # with a fallback
    body = page.replace(style.group(0), "")
    assert not re.search(r'style="[^"]*color', body), "inline colours ignore the theme"


def test_visual_is_inside_the_card_and_shows_scalars_only() -> None:
    for bits in (512, 4096):
        page = KeyReport.generate(bits).to_html()
        # 2 statistics + 5 tests, whatever the size: every statistic the leak figure counts
        assert page.count('class="xsk-vrow"') == len(SHOWN_STATISTICS)
        assert "<img" not in page and "data:image" not in page
    assert 'class="xsk-visual"' not in KeyReport.generate(512, plot=False).to_html()


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
        text = re.sub(r"✓ (as is|hashed first)|✗ too short", "S", text)
        text = re.sub(r"\d+\.\d+|p = \S+|\b\d+\b", "N", text)
        return re.sub(r" +", " ", text)  # numbers are right-aligned: padding varies with width

    assert skeleton(KeyReport.generate(512).to_text()) == skeleton(
        KeyReport.generate(512).to_text()
    )
    assert skeleton(KeyReport.generate(512).to_html()) == skeleton(
        KeyReport.generate(512).to_html()
    )


def test_bundle_offers_html_not_a_json_tree_nor_a_png() -> None:
    """JupyterLab ranks application/json above text/html: offering it would hide the card.
    Lab picks the HTML, so a PNG was drawn for nothing; the visual lives in the HTML now."""
    assert set(KeyReport.generate(512)._repr_mimebundle_()) == {"text/plain", "text/html"}


def test_first_display_imports_only_the_standard_library() -> None:
    """Issue 10: a report's display loads nothing heavier than the standard library."""
    code = (
        "import sys\n"
        "from xsk_nb.report import KeyReport\n"
        "r = KeyReport.generate(512, view='notebook'); r.stats\n"
        "before = set(sys.modules)\n"
        "r._repr_mimebundle_(); r.reveal().to_dict()\n"
        "new = {m.split('.')[0] for m in set(sys.modules) - before}\n"
        "print(sorted(new - set(sys.stdlib_module_names) - {'xsk_nb'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_jwk_returns_a_copy() -> None:
    report = KeyReport.generate(512)
    report.jwk()["k"] = "tampered"
    assert len(key_bytes(report.jwk())) == 64


def test_a_report_cannot_be_pickled() -> None:
    with pytest.raises(TypeError, match="not picklable"):
        pickle.dumps(KeyReport.generate(512))


def test_a_bad_view_is_refused_in_one_sentence() -> None:
    with pytest.raises(ValueError, match='view must be "notebook", "app" or "terminal"'):
        KeyReport.generate(512).in_view("browser")


def test_view_detection(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("VOILA_PREHEAT", "VOILA_KERNEL_ID", masking.VIEW_ENVIRONMENT_VARIABLE):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VOILA_PREHEAT", "False")  # what Voilà sets for its kernels
    assert masking.current_view() == masking.APP
    monkeypatch.setenv(masking.VIEW_ENVIRONMENT_VARIABLE, "terminal")
    assert masking.current_view() == masking.TERMINAL


def test_terminal_view_outside_ipython() -> None:
    code = "from xsk_nb.report import KeyReport; print(KeyReport.generate(512).view)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "terminal"


@pytest.mark.parametrize(
    ("jwk", "error"),
    [({"kty": "RSA"}, ValueError), ("k", TypeError), ({"kty": "oct", "k": "=="}, ValueError)],
)
def test_bad_jwk_is_refused_without_echo(jwk: object, error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        KeyReport(jwk)  # type: ignore[arg-type]
    assert "==" not in str(info.value)


def test_every_placeholder_lives_in_masking() -> None:
    """One home for each masking word: the report's masked k is masking's PLACEHOLDER_SECRET."""
    report = KeyReport.generate(512)
    k = report.jwk()["k"]
    assert report.shown_jwk()["k"] == masking.PLACEHOLDER_SECRET.format(n=86, label=report.label)
    assert masked(k) in report.to_text()
    names = [name for name in vars(masking) if name.startswith(("PLACEHOLDER_", "NOT_SHOWN_"))]
    assert len(names) >= 8
    for name in names:
        value = getattr(masking, name)
        assert value.startswith("‹") and value.endswith("›"), name


# --- any length, the first line, and every sentence exactly true (issue 20 items 3-4) ---------
def _jwk_of(data: bytes) -> dict[str, str]:
    from xsk_nb.keygen import b64url_encode

    return {"kty": "oct", "k": b64url_encode(data)}


ASCII_TEXT_KEY = b"correct horse battery staple, a passphrase typed in as a key!!!!"
assert len(ASCII_TEXT_KEY) == 64


def test_first_line_for_a_random_an_all_zero_and_an_ascii_text_key() -> None:
    """The card's first line says what a student should conclude (issue 20 item 3)."""
    from xsk_nb import report as card

    random_key = KeyReport.generate(512)
    # A random key fails the verdict with probability at most about 6.3e-6: 1e-6-scale flake.
    assert random_key.rows().conclusion == card.CONCLUDE_USABLE.format(
        usable="HS256, HS384 and HS512"
    )
    for data in (bytes(64), ASCII_TEXT_KEY):  # both fail the bit-positions check (P < 1e-18)
        rows = KeyReport(_jwk_of(data)).rows()
        assert rows.gross_defect
        assert rows.conclusion == card.CONCLUDE_DEFECT.format(bound=7e-6), data[:4]
        assert rows.conclusion.startswith("Do not use this key")
        assert card.LEAK_NOT_RANDOM in rows.leak_note  # the average does not apply to it
    for form in (random_key.to_text(), html.unescape(random_key.to_html())):
        assert random_key.rows().conclusion in form


@pytest.mark.parametrize("n_bytes", [1, 2, 3, 8, 31, 32, 62, 63, 100, 257, 700])
def test_any_length_is_reported_with_figures_for_that_length(n_bytes: int) -> None:
    """Issue 20 item 4 / issue 24: a JWK of any length from one byte up renders every form."""
    import secrets as secrets_module

    from xsk_nb import report as card
    from xsk_nb.disclosure import shown_information_bound
    from xsk_nb.stats import expected_shannon_entropy
    from xsk_nb.strength import hmac_fits

    report = KeyReport(_jwk_of(secrets_module.token_bytes(n_bytes)), view="notebook")
    forms = all_forms(report)
    rows = report.rows()
    mean, sd = expected_shannon_entropy(n_bytes)  # the exact law for this length
    assert f"{mean:.3f} ± {sd:.3f}" in forms["text/plain"]
    assert f"{8 * n_bytes} bits" in forms["text/plain"]
    bound = math.ceil(shown_information_bound(n_bytes))
    if bound >= 8 * n_bytes:
        assert rows.leak_note == card.LEAK_NOTE_TINY.format(
            key_bits=8 * n_bytes, how=card.LEAK_HOW_BOUND
        )
    else:
        assert f"at most about {bound} bits" in rows.leak_note
    assert [h.alg for h in rows.hmac] == [f.alg for f in hmac_fits(8 * n_bytes)]
    if n_bytes < 32:  # shorter than HS256's 256 bits
        assert rows.conclusion.startswith("Too short to sign with")
    if len(report.jwk()["k"]) >= 8:
        for form, text in forms.items():
            assert_no_key_material(text, report.jwk()["k"], form)


def test_an_empty_k_is_one_sentence() -> None:
    with pytest.raises(ValueError, match="at least 1 byte"):
        KeyReport({"kty": "oct", "k": ""})


def test_information_bound_for_any_length_is_exact_arithmetic() -> None:
    """H(card) <= sum of H(each shown value) <= log2(values it can show); never above 8n."""
    from xsk_nb.disclosure import SHOWN_INFORMATION_BITS, shown_information_bound

    assert shown_information_bound(1) == 8.0 and shown_information_bound(2) == 16.0
    # 5 p-values (101 values + n/a), entropy on [0, 8] to 2 decimals, 256 distinct counts:
    assert shown_information_bound(10_000) == pytest.approx(5 * math.log2(102) + math.log2(801) + 8)
    for bits, shown in SHOWN_INFORMATION_BITS.items():  # looser than the simulated sums
        assert shown_information_bound(bits // 8) >= shown - 1


def test_member_names_and_values_of_any_type_render(report: KeyReport) -> None:
    """Issue 24: an int member name or a bytes value raised while rendering."""
    from xsk_nb.masking import NOT_SHOWN_UNSHOWABLE, PLACEHOLDER_RUN

    k = report.jwk()["k"]
    odd = KeyReport({**report.jwk(), 1: "one", "raw": b"\x00\x01", "nan": float("nan"),
                     "copy": "k=" + k[3:40], "list": [k]}, view="notebook")  # fmt: skip
    forms = all_forms(odd)
    for form, text in forms.items():
        assert_no_key_material(text, k, form)
    shown = odd.shown_jwk()
    assert shown["1"] == "one" and shown["raw"] == NOT_SHOWN_UNSHOWABLE
    assert shown["nan"] == NOT_SHOWN_UNSHOWABLE and shown["list"] == NOT_SHOWN_UNSHOWABLE
    assert shown["copy"] == PLACEHOLDER_RUN  # a member holding a piece of k is masked too
    json.dumps(odd.to_dict(), allow_nan=False)  # the CLI's --json stays valid JSON


def test_revealed_output_says_so_in_its_metadata(report: KeyReport) -> None:
    """Agreement A2: a revealed output carries {"xsk_nb": {"revealed": true}}."""
    data, metadata = report.reveal()._repr_mimebundle_()
    assert metadata == {"xsk_nb": {"revealed": True}}
    assert report.jwk()["k"] in data["text/plain"]
    assert isinstance(report._repr_mimebundle_(), dict)  # masked: no such metadata


def test_revealed_metadata_reaches_ipython_output() -> None:
    from IPython.core.interactiveshell import InteractiveShell

    formatter = InteractiveShell.instance().display_formatter
    data, metadata = formatter.format(KeyReport.generate(512).reveal())
    assert metadata.get("xsk_nb") == {"revealed": True} and "text/html" in data


def test_design_entropy_only_for_keys_the_kit_drew() -> None:
    """Statistics review D4: "from secrets" was printed for any key, defective ones included."""
    from xsk_nb import report as card

    drawn = KeyReport.generate(512)
    assert drawn.rows().design_entropy == card.DESIGN_ENTROPY.format(bits=512)
    assert drawn.reveal().rows().design_entropy == drawn.rows().design_entropy
    given = KeyReport(drawn.jwk())
    assert given.rows().design_entropy == card.DESIGN_ENTROPY_UNKNOWN
    assert "secrets" not in card.DESIGN_ENTROPY_UNKNOWN


def test_hashed_first_sentence_is_true_for_every_length() -> None:
    """ "For HS256 ... there a 512-bit key is at least as strong": effective bits compared."""
    from xsk_nb.strength import hmac_fit

    for bits in (520, 1024, 1032, 2048, 4096, 8192):
        report = KeyReport(_jwk_of(secrets_bytes(bits // 8)))
        fits = report.hmac
        assert any(f.hashed_first for f in fits) == ("HMAC hashes" in report.rows().conclusion)
        for fit in fits:
            if fit.hashed_first:
                assert fit.alg in report.rows().conclusion
                assert hmac_fit(512, fit.alg).effective_bits >= fit.effective_bits


def secrets_bytes(n: int) -> bytes:
    import secrets as secrets_module

    return secrets_module.token_bytes(n)


def test_p_value_note_states_the_approximation_it_is() -> None:
    """Review D5: at 512 bits, |S| = 2 prints erfc 0.930, the exact chance is 0.965."""
    from xsk_nb import report as card

    n = 512
    exact = 1 - math.comb(n, n // 2) / 2**n  # P(|S| >= 2) = 1 - P(S = 0)
    printed = math.erfc(2 / math.sqrt(2 * n))
    assert 0.01 < exact - printed < 0.05  # "off by a few hundredths"
    assert "approximation" in card.P_VALUE_NOTE and "bound" in card.P_VALUE_NOTE


def test_visual_caption_says_red_is_no_defect() -> None:
    """UX review H7: p = 0.00 on red beside a passing verdict, with no word why."""
    page = html.unescape(KeyReport.generate(512).to_html())
    assert "red alone is no defect: only p below 1e-06 counts as one" in page


def test_the_verdict_never_states_a_probability_above_one() -> None:
    """Statistics review D6: alpha = 0.5 printed "with probability about 4"."""
    from xsk_nb.stats import defect_verdict

    text = defect_verdict(["a reason"], 0.5)
    assert "with probability at most about 1:" in text
    assert "at most about 7e-06" in defect_verdict(["a reason"], 1e-6)
