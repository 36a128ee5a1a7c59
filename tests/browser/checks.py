"""What a student should see in a rendered key report, checked the same way in JupyterLab and Voilà.

The expected figures come from docs (FACTS §1, §3, §5), not from the code under test, except the
HMAC table, which must show exactly what ``xsk_nb.hmac_fits`` computes.
"""

from __future__ import annotations

import importlib.util
import math
import os
import re
from typing import TYPE_CHECKING

import harness
import pytest
from harness import key_fragments_in as key_fragments

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page


def browser_missing() -> str:
    """Why the browser tests cannot run here, or "" when they can."""
    if harness.find_chromium() is None:
        return f"no Chromium executable at {os.environ.get('XSK_CHROMIUM') or '/usr/bin/chromium'}"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    return ""


def skip_module_unless_browser() -> None:
    """Skip the calling test module, saying how to enable it, when the browser is missing.

    Under ``XSK_REQUIRE_BROWSER=1`` (set by .ci/run) it does not skip: the ``chromium_executable``
    fixture then fails every test with the reason, and the rest of the suite still runs.
    """
    reason = browser_missing()
    if reason and not harness.browser_required():
        pytest.skip(f"{reason}; {harness.HOW_TO_ENABLE}", allow_module_level=True)


# FACTS §5: E[plug-in Shannon entropy] in bits/byte and its sd, for a random key of each size.
EXPECTED_SHANNON = {512: (5.7657, 0.077), 1024: (6.5501, 0.067), 2048: (7.1750, 0.053),
                    4096: (7.5904, 0.034)}  # fmt: skip

_NUMBER = r"(-?\d+(?:\.\d+)?)"

# JS: what a student's page holds inside the elements matching ``scope``, as data, not markup:
# - "data": every text node, every attribute value except ``class`` (CSS class names are the
#   page's code, e.g. JupyterLab's 44-character ``jp-WindowedPanel-…`` names, not data), and
#   every form field's live ``value`` (a widget's Text box keeps it in a DOM property that no
#   HTML shows), with ``data:`` URIs blanked (a PNG plot's base64 is not key material);
# - "text": the rendered text (innerText), what a student reads.
_PAGE_DATA_JS = """
(scope) => {
  const roots = [...document.querySelectorAll(scope)];
  if (!roots.length) return null;
  const parts = [];
  for (const root of roots) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.currentNode; node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) { parts.push(node.data); continue; }
      for (const attr of node.attributes) {
        if (attr.name !== "class") parts.push(attr.value);
      }
      if ("value" in node && typeof node.value === "string") parts.push(node.value);
    }
  }
  return {
    data: parts.join("\\n").replace(/data:[^"')\\s]*/g, "data:…"),
    text: roots.map(root => root.innerText).join("\\n"),
  };
}
"""


def page_data(page: Page, scope: str) -> tuple[str, str]:
    """(data, text) of the elements matching ``scope``: see ``_PAGE_DATA_JS``."""
    got = page.evaluate(_PAGE_DATA_JS, scope)
    assert got is not None, f"nothing matches {scope!r}"
    return str(got["data"]), str(got["text"])


def assert_no_long_b64url_runs(page: Page, scope: str, allowed: tuple[str, ...] = ()) -> None:
    """Before reveal we do not know the key, so look for any run that could be a piece of it.

    ``scope`` (a CSS selector; all matches are searched) is the notebook content to search, not
    the whole page: JupyterLab's own page carries long tokens (page config, bundled assets) that
    are not ours, and notebook 1 reveals a throwaway key on purpose (with its warning). The tests
    pass the panel's cell or the notebook's outputs in JupyterLab, and the whole ``body`` in Voilà
    with ``allowed`` strings (the server token). A k of 512 bits has 86 characters; any run of
    43+ base64url characters is flagged.
    """
    data, text = page_data(page, scope)
    for where, content in (("text nodes, attributes and field values", data), ("text", text)):
        runs = harness.long_b64url_runs(content, allowed)
        assert not runs, f"{len(runs)} base64url run(s) of 43+ chars in the page's {where}: " + (
            ", ".join(f"{run[:6]}…({len(run)})" for run in runs)  # no more than 6 chars shown
        )


def _cells(row: Locator) -> list[str]:
    return [c.strip() for c in row.locator("td").all_inner_texts()]


def check_report_card(card: Locator, bits: int) -> None:
    """A masked report of a ``bits`` key: sizes, statistics, HMAC fit and verdict, no key."""
    n_bytes = bits // 8
    assert card.get_attribute("data-bits") == str(bits)
    assert card.get_attribute("data-bytes") == str(n_bytes)
    text = card.inner_text()
    assert f"{bits} bits" in text and f"{n_bytes} bytes" in text, text[:200]
    assert f"{harness.K_CHARS[bits]} base64url characters" in text, text[:200]

    masked = card.locator(".xsk-masked-k")
    assert masked.count() == 1
    assert re.fullmatch(
        rf"‹hidden: {harness.K_CHARS[bits]} chars, key [0-9a-f]{{6}}›", masked.inner_text().strip()
    ), masked.inner_text()
    assert card.locator(".xsk-revealed-k").count() == 0
    assert card.locator(".xsk-reveal-warning").count() == 0

    check_stats(card.locator(".xsk-stats"), bits)
    check_hmac(card.locator(".xsk-hmac"), bits)
    verdict = card.locator(".xsk-verdict").inner_text().strip()
    assert verdict.startswith("Verdict:") and len(verdict) > len("Verdict:") + 5, verdict


def check_stats(table: Locator, bits: int) -> None:
    """Shannon entropy and distinct bytes against FACTS §5; NIST p-values within [0, 1]."""
    n = bits // 8
    rows = [_cells(row) for row in table.locator("tr").all() if row.locator("td").count()]
    by_name = {row[0].lower(): row for row in rows}

    shannon = next(row for name, row in by_name.items() if name.startswith("shannon"))
    observed, mean, sd = (float(x) for x in re.findall(_NUMBER, " ".join(shannon[1:3])))
    want_mean, want_sd = EXPECTED_SHANNON[bits]
    # FACTS gives the sd to 2-3 digits (0.053 at 2048 bits; 0.0525 by simulation), hence 2e-3.
    assert math.isclose(mean, want_mean, abs_tol=1e-3), (mean, want_mean)
    assert math.isclose(sd, want_sd, abs_tol=2e-3), (sd, want_sd)
    assert 0 < observed <= min(8.0, math.log2(n)) + 1e-9

    distinct = next(row for name, row in by_name.items() if name.startswith("distinct"))
    observed_d, mean_d = (float(x) for x in re.findall(_NUMBER, " ".join(distinct[1:3]))[:2])
    assert math.isclose(mean_d, 256 * (1 - (255 / 256) ** n), abs_tol=1e-2)
    assert 1 <= observed_d <= min(n, 256) and observed_d.is_integer()

    p_rows = [row for row in rows if row[1].startswith("p=") or row[1] == "n/a"]
    assert len(p_rows) >= 4, rows  # monobit, runs, block frequency, longest run (FACTS §5)
    for row in p_rows:
        if row[1] != "n/a":
            assert 0.0 <= float(row[1].removeprefix("p=")) <= 1.0, row


def check_hmac(table: Locator, bits: int) -> None:
    """The HMAC fit table shows what the core's strength model says for this size."""
    from xsk_nb import hmac_fits

    rows = [_cells(row) for row in table.locator("tr").all() if row.locator("td").count()]
    expected = [
        [fit.alg, str(fit.minimum_bits), str(fit.effective_bits), fit.summary]
        for fit in hmac_fits(bits)
    ]
    assert rows == expected
    # FACTS §3: HS256 hashes keys longer than 512 bits first; HS384/HS512 those over 1024.
    hashed = [("hashes" in row[3]) for row in rows]
    assert hashed == [bits > 512, bits > 1024, bits > 1024], rows


def check_panel_controls(page: Page) -> None:
    """The panel's controls: four size buttons with the seed's use cases as tooltips, Generate
    enabled, Reveal unticked, and the alg/kid dropdowns showing a choice, not a blank box.
    """
    root = harness.panel_root(page)
    buttons = root.locator(".xsk-bits button")
    assert [t.strip() for t in buttons.all_inner_texts()] == [str(b) for b in harness.ALLOWED_BITS]
    assert all(b.get_attribute("title") for b in buttons.all()), "size buttons need tooltips"
    assert root.locator(".xsk-generate").is_enabled()
    assert not root.locator(".xsk-reveal input[type=checkbox]").is_checked()
    for name in ("xsk-alg", "xsk-kid"):
        shown = root.locator(f".{name} select").evaluate(
            "s => s.selectedIndex < 0 ? '' : s.options[s.selectedIndex].text"
        )
        assert shown.strip(), f"the {name} dropdown shows no choice (Dropdown.index is None)"


def revealed_key(card: Locator, bits: int) -> str:
    """The k shown after reveal, checked to decode to exactly ``bits`` / 8 bytes."""
    assert card.locator(".xsk-reveal-warning").count() == 1
    assert card.locator(".xsk-masked-k").count() == 0
    k = card.locator(".xsk-revealed-k").inner_text().strip()
    assert len(k) == harness.K_CHARS[bits], len(k)
    assert len(harness.decode_k(k)) == bits // 8
    return k


def whole_page(page: Page) -> str:
    """Everything the page holds that a key could hide in: its markup, its text nodes and
    attribute values, its form fields' live values, and its rendered text."""
    data, text = page_data(page, "html")
    return "\n".join((page.content(), data, text))


def key_size_round_trip(
    page: Page, bits: int, scope: str, allowed: tuple[str, ...], artifact: str | None
) -> float:
    """As a student: pick ``bits``, Generate, read the masked report, reveal, hide again.

    Before reveal the key is unknown, so the page is searched for long base64url runs and a
    snapshot of the whole page is kept; once reveal shows the key, the snapshot (before) and the
    page after hiding again must hold no 8-character piece of it. Returns click-to-report in ms.
    """
    harness.choose_bits(page, bits)
    elapsed_ms = harness.click_generate(page)
    card = harness.report_card(page)
    check_report_card(card, bits)
    harness.wait_generate_done(page)
    assert_no_long_b64url_runs(page, scope, allowed)
    before_reveal = whole_page(page)
    if artifact:
        harness.screenshot(harness.panel_root(page), artifact)  # masked: no key in the artifact

    harness.set_reveal(page, True)
    k = revealed_key(harness.report_card(page), bits)
    assert key_fragments(whole_page(page), k)  # sanity: the search below would find it

    harness.set_reveal(page, False)
    check_report_card(harness.report_card(page), bits)
    for when, content in (("before reveal", before_reveal), ("after hiding", whole_page(page))):
        pieces = key_fragments(content, k)
        assert not pieces, f"{len(pieces)} 8-char piece(s) of the key in the page {when}"
    return elapsed_ms
