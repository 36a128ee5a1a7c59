"""The site's app page ``panel.html`` (issue 20 items 1 and 2), and where its Save keeps a key.

- An app page: its heading and one line of instructions are in the page's own HTML, ahead of
  any script (nothing to wait for), a progress line shows while Python starts, and then the
  panel alone: the page starts the site's Pyodide itself (no JupyterLite, no frame, no prompt),
  nothing typed runs; the card stays inside a 400 px window.
- Save (agreement A4): the key is kept in the page's memory only. After the tab is closed and
  the site opened again in the same browser profile, no ``.env`` is in the site's storage and no
  piece of the key is anywhere in the browser's storage (issue 24 leak 6).
- Screenshots of each state at 1366 and 400 px, light and dark, into test-artifacts/.

Python boots once per colour scheme (a module fixture, :func:`_booted`): the two widths of a
scheme are one page, resized with ``set_viewport_size``, and the Save test ends the light
page's run, so each check and screenshot still runs, with two boots instead of five (about 4 s
each on a 2-core machine).
"""

from __future__ import annotations

import re
import secrets
import sys
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import litepage
import pytest

# The widget panel's browser checks (tests/browser/checks.py): the app page must pass them too.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
import checks
from _browser.leaks import assert_browser_storage_holds_no_key, browser_storage_text
from _browser.pages import next_frames
from build import PANEL_PAGE

from xsk_nb.envfile import BROWSER_MEMORY, IN_PAGE_MEMORY
from xsk_nb.masking import APP, REVEAL_LABELS
from xsk_nb.panel_session import COPIED, COPY_WHAT, REVEALED

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Frame, Page
    from serve import SiteServer

pytestmark = pytest.mark.browser

WIDTHS = {"1366": {"width": 1366, "height": 768}, "400": {"width": 400, "height": 800}}


class _Order(HTMLParser):
    """The page's elements in document order, with the text of each heading and paragraph."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, str] = {}
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, dict(attrs)))
        if tag in ("h1", "p") and tag not in self.text:
            self._open, self.text[tag] = tag, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self.text[self._open] += data


def test_heading_and_instructions_come_before_any_script() -> None:
    """Shown at once: in the served HTML, before every script, with nothing loaded before them."""
    order = _Order()
    order.feed((litepage.SITE / PANEL_PAGE).read_text(encoding="utf-8"))
    tags = [tag for tag, _ in order.seen]
    assert tags.index("h1") < tags.index("script") and tags.index("p") < tags.index("script")
    assert order.text["h1"] == "Secret key panel"
    assert "press Generate" in " ".join(order.text["p"].split())
    assert not [a for t, a in order.seen if t == "script" and a.get("src")], "no script to fetch"
    assert not [a for t, a in order.seen if t == "link"], "no style sheet to fetch"


def _context(lite_browser: Any, lite_guard: litepage.NetworkGuard, width: str) -> BrowserContext:
    context = litepage.guarded_context(lite_browser, lite_guard, viewport=WIDTHS[width])
    context.grant_permissions(["clipboard-read", "clipboard-write"])  # Copy's test reads it
    return context


def _open(context: BrowserContext, base_url: str, dark: bool = False) -> tuple[Page, Frame]:
    page = context.new_page()
    page.emulate_media(color_scheme="dark" if dark else "light")
    frame = litepage.open_panel_app(page, base_url, PANEL_PAGE)
    return page, frame


@pytest.fixture(scope="module")
def _booted(
    lite_site: SiteServer, lite_browser: Any, lite_guard: litepage.NetworkGuard
) -> Iterator[Callable[[bool, str], tuple[Page, Frame]]]:
    """``panel.html`` booted once per colour scheme (light, dark), each in a fresh profile of
    its own; ``booted(dark, width)`` resizes that page to ``width`` and returns it."""
    opened: dict[bool, tuple[BrowserContext, Page, Frame]] = {}

    def booted(dark: bool, width: str) -> tuple[Page, Frame]:
        if dark not in opened or opened[dark][1].is_closed():  # the save test closes its tab
            if dark in opened:
                opened.pop(dark)[0].close()
            context = _context(lite_browser, lite_guard, width)
            opened[dark] = (context, *_open(context, lite_site.base_url, dark=dark))
        else:  # the focus back where a fresh page has it: the last test's Tab leaves no ring
            frame = opened[dark][2]
            frame.evaluate("() => document.activeElement && document.activeElement.blur()")
        _, page, frame = opened[dark]
        page.set_viewport_size(WIDTHS[width])
        next_frames(page)  # the page and its frame laid out at the new width
        return page, frame

    try:
        yield booted
    finally:
        for context, _, _ in opened.values():
            context.close()


_CHROME_JS = """
() => ({
  frames: document.querySelectorAll("iframe").length,
  jupyterLite: Boolean(window.jupyterapp) || document.querySelectorAll("[class*='jp-']").length,
  editing: Boolean(document.activeElement && (document.activeElement.isContentEditable
                   || document.activeElement.tagName === "TEXTAREA")),
  text: document.body.innerText,
})
"""


def test_the_loading_state_says_what_is_happening(
    lite_site: SiteServer, lite_browser: Any, lite_guard: litepage.NetworkGuard
) -> None:
    context = _context(lite_browser, lite_guard, "400")
    try:
        page = context.new_page()
        page.goto(f"{lite_site.base_url}/{PANEL_PAGE}", wait_until="commit")
        page.locator("h1", has_text="Secret key panel").wait_for()
        stage = page.locator("#stage")
        stage.wait_for()
        stages = r"(Loading the page|Starting Python|Opening the key panel)"
        assert re.match(stages, stage.inner_text())
        assert page.locator("#progress[role=progressbar]").count() == 1
        assert not page.locator("#panel-app").is_visible() or page.evaluate(
            "() => document.body.classList.contains('xsk-ready')")  # fmt: skip
        litepage.screenshot(page, "lite-panel-page-400-light-loading.png")
    finally:
        context.close()


def test_a_page_that_cannot_start_says_so_in_one_sentence(
    lite_site: SiteServer, lite_browser: Any, lite_guard: litepage.NetworkGuard
) -> None:
    """The kit's wheel does not arrive (a flaky network, a half-copied site): the loading line
    says the panel could not start and what to do, in place of progress that never ends."""
    context = _context(lite_browser, lite_guard, "400")
    try:
        context.route("**/xsk_nb-*.whl", lambda route: route.abort())
        page = context.new_page()
        page.goto(f"{lite_site.base_url}/{PANEL_PAGE}")
        page.wait_for_function("() => document.body.classList.contains('xsk-failed')",
                               timeout=litepage.KERNEL_TIMEOUT_MS)  # fmt: skip
        assert page.locator("#stage").inner_text() == (
            "The key panel could not start: Python did not start in this tab (a file of the site "
            "did not arrive, or this browser cannot run WebAssembly). Reload the page to try again."
        )
        assert not page.locator("#progress").is_visible()
        assert not page.locator("#elapsed").is_visible()  # its seconds stopped: not "starting"
        assert not page.locator("#panel-app").is_visible()
        litepage.screenshot(page, "lite-panel-page-400-light-failed.png")
    finally:
        context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_panel_shows_alone_and_nothing_typed_runs(
    _booted: Callable[[bool, str], tuple[Page, Frame]], width: str
) -> None:
    page, frame = _booted(False, width)
    chrome = frame.evaluate(_CHROME_JS)
    assert chrome["frames"] == 0 and not chrome["jupyterLite"], chrome  # no app inside the app
    assert not chrome["editing"], "a text box has the focus at load"
    page.keyboard.type("1+1")
    page.keyboard.press("Shift+Enter")
    assert frame.evaluate(_CHROME_JS)["text"] == chrome["text"], "typing changed the page"
    litepage.click_generate(frame)
    frame.locator(".xsk-details summary").first.click()
    frame.locator(".xsk-hmac").first.wait_for()
    card = frame.locator(".xsk-report-card").first.bounding_box()
    assert card
    assert card["x"] + card["width"] <= WIDTHS[width]["width"] + 0.5
    widest = frame.evaluate("() => document.documentElement.scrollWidth")
    assert widest <= WIDTHS[width]["width"], "the page scrolls sideways"
    litepage.screenshot(page, f"lite-panel-page-{width}-light-card.png")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_dark_os_setting_makes_the_page_dark(
    _booted: Callable[[bool, str], tuple[Page, Frame]], width: str
) -> None:
    """UX review C13: the site followed no dark OS setting; the app page follows it, the card
    and the controls in JupyterLab's dark colours."""
    page, frame = _booted(True, width)
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(17, 17, 17)"
    litepage.click_generate(frame)
    colours = frame.evaluate(
        """() => [".xsk-report-card", ".xsk-copy-k"].map(
             (s) => getComputedStyle(document.querySelector(s)).backgroundColor)"""
    )
    assert colours == ["rgb(33, 33, 33)", "rgb(66, 66, 66)"], colours  # --jp-layout-color1, 2
    litepage.screenshot(page, f"lite-panel-page-{width}-dark-card.png")
    # UX review H5: Generate gets a visible focus ring from the keyboard (WCAG 2.4.7).
    frame.locator(".xsk-panel .xsk-kid select").focus()
    page.keyboard.press("Tab")
    ring = frame.evaluate(
        """() => { const e = document.activeElement, s = getComputedStyle(e);
             return [e.classList.contains("xsk-generate"), s.outlineStyle, s.outlineWidth,
                     s.outlineOffset]; }"""
    )
    assert ring == [True, "solid", "2px", "2px"], ring
    litepage.screenshot(page, f"lite-panel-page-{width}-dark-focus-generate.png")


def test_generate_shows_a_masked_card_and_the_page_holds_no_key(
    _booted: Callable[[bool, str], tuple[Page, Frame]], lite_guard: litepage.NetworkGuard
) -> None:
    page, frame = _booted(False, "1366")  # before the Save test, which closes this tab
    foreign_before = len(lite_guard.foreign)
    card = litepage.click_generate(frame)
    masked = litepage.MASKED_K.search(card)
    assert masked, card[:300]
    assert frame.locator(".xsk-panel .xsk-revealed-k").count() == 0
    text = frame.locator("body").inner_text()
    # An app page speaks to app users: nothing they cannot do or that is not true here.
    assert ".reveal()" not in text and "saved with the notebook" not in text
    keys = litepage.unrevealed_keys(frame)
    assert keys, "the kernel holds no key after Generate"
    _assert_page_holds_none_of(page, keys)
    assert lite_guard.foreign[foreign_before:] == []


def _assert_page_holds_none_of(page: Page, keys: list[str]) -> None:
    """The page's body as HTML (its text, attributes and inline styles; about 35,000
    characters): no 8-character piece of any key. A piece is 48 random bits, so a chance match
    among N characters has probability about N * (len(k) - 7) / 2**48: under 1e-6 for
    N < 400,000 and a 4096-bit key's 683 characters."""
    html = str(page.evaluate("() => document.body.outerHTML"))
    assert len(html) < 400_000, "the page grew: the false-alarm bound above no longer holds"
    for k in keys:
        pieces = litepage.key_fragments_in(html, k)
        assert not pieces, f"{len(pieces)} 8-char piece(s) of a masked key in the page"


def test_copy_puts_the_key_on_the_clipboard_and_reveal_shows_it_on_purpose(
    _booted: Callable[[bool, str], tuple[Page, Frame]],
) -> None:
    """Copy k: exactly the newest key's k on the clipboard, nothing of it left in the page;
    Reveal shows it on the card with the app's warning, and unticking hides it again."""
    page, frame = _booted(False, "1366")  # before the Save test, which closes this tab
    before = set(litepage.unrevealed_keys(frame))
    litepage.click_generate(frame)
    (k,) = set(litepage.unrevealed_keys(frame)) - before
    said = frame.locator(".xsk-generate-message .xsk-status").inner_text()
    found = re.search(r"key ([0-9a-f]{6})", said)  # the page's label (salted per process)
    assert found, said
    label = found.group(1)
    frame.locator(".xsk-panel .xsk-copy-k").click()
    status = frame.locator('.xsk-copy-status[data-kind="ok"]')
    status.wait_for()
    assert status.inner_text() == COPIED.format(what=COPY_WHAT["k"], label=label, length=len(k))
    assert page.evaluate("() => navigator.clipboard.readText()") == k
    _assert_page_holds_none_of(page, [k])
    page.evaluate("() => navigator.clipboard.writeText('')")  # nothing left for later tests

    frame.locator(".xsk-panel .xsk-reveal input").check()
    frame.locator(".xsk-report .xsk-revealed-k").wait_for()
    assert k in frame.locator(".xsk-report").inner_text()
    assert frame.locator(".xsk-generate-message .xsk-status").inner_text() == REVEALED.format(
        label=label
    )
    assert REVEAL_LABELS[APP] in frame.locator(".xsk-reveal").inner_text()
    frame.locator(".xsk-panel .xsk-reveal input").uncheck()
    frame.locator(".xsk-report .xsk-revealed-k").wait_for(state="detached")
    _assert_page_holds_none_of(page, [k])


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_app_page_passes_the_widget_panels_checks(
    _booted: Callable[[bool, str], tuple[Page, Frame]], width: str
) -> None:
    """The app page is a second front end of the panel (xsk_nb.panel_page): it passes the
    checks the widget panel passes in JupyterLab and Voila (tests/browser/checks.py), in the
    dark page, so the light page's Save test below starts from its own profile."""
    page, _ = _booted(True, width)
    checks.check_panel_controls(page)
    checks.check_no_null_tooltip(page)
    checks.check_kid_note(page)
    checks.check_sizes_are_one_radio_group(page)
    checks.key_size_round_trip(page, 512, ".xsk-panel", (), None)
    copied = checks.check_copy(page, 1024)
    assert copied not in str(page.evaluate("() => document.body.outerHTML"))
    checks.check_controls_fit(page, WIDTHS[width]["width"])
    assert checks.serious_axe_violations(page) == []
    if width == "400":  # once: Save, then the same name again (refused in the panel's words)
        checks.check_save_messages(page, app=False)  # in the page's memory, no server


def test_a_python_failure_in_an_action_is_one_sentence_and_shows_no_message(
    _booted: Callable[[bool, str], tuple[Page, Frame]],
) -> None:
    """A bug in an action (not a refused input) says so beside the control; the exception's
    text, which could quote a key, stays out of the page."""
    page, frame = _booted(True, "1366")
    marker = "xsk-failure-" + secrets.token_hex(8)
    patch = (
        "import xsk_nb.panel_page as _p\n"
        "_p._saved_generate = _p.AppPage.generate\n"
        f"def _broken(self, *args): raise RuntimeError({marker!r})\n"
        "_p.AppPage.generate = _broken\n"
    )
    page.evaluate("(code) => window.__xskPython.runPython(code)", patch)
    try:
        frame.locator(".xsk-panel .xsk-generate").click()
        status = frame.locator('.xsk-generate-message .xsk-status[data-kind="error"]')
        status.wait_for()
        assert status.inner_text() == (
            "Something went wrong in this page's Python. Reload the page to start again."
        )
        assert marker not in str(page.evaluate("() => document.body.outerHTML"))
    finally:
        page.evaluate(
            "() => window.__xskPython.runPython("
            "'import xsk_nb.panel_page as _p; _p.AppPage.generate = _p._saved_generate')"
        )


def test_save_keeps_the_key_in_the_page_memory_only_across_a_closed_tab(
    _booted: Callable[[bool, str], tuple[Page, Frame]], lite_site: SiteServer
) -> None:
    """Issue 20 item 1: what Save says is where the key is, after closing and reopening the tab.

    The light page of the tests above (its profile: nothing saved yet); it is closed here, so
    this test comes last of its users."""
    page, frame = _booted(False, "1366")
    context = page.context
    before = set(litepage.unrevealed_keys(frame))  # those the tests above made
    litepage.click_generate(frame)
    made = set(litepage.unrevealed_keys(frame))
    (k,) = made - before
    frame.locator(".xsk-panel .xsk-env-save").click()
    message = frame.locator('.xsk-save-message .xsk-status[data-kind="ok"]')
    message.wait_for()
    label = re.search(r"key ([0-9a-f]{6}) \((\d+) bits\)", message.inner_text())
    assert label
    assert message.inner_text() == (
        f"Saved key {label.group(1)} ({label.group(2)} bits) as JWT_SECRET in "
        f"{BROWSER_MEMORY / '.env'} "
        f"(mode 600), {IN_PAGE_MEMORY}; it is not shown here."
    )
    litepage.screenshot(page, "lite-panel-page-1366-light-saved.png")
    page.close()  # the tab is closed: its Python and memory with it

    again = context.new_page()
    again.goto(f"{lite_site.base_url}/lab/index.html")
    again.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.serviceManager.contents",
        timeout=litepage.KERNEL_TIMEOUT_MS,
    )
    names = again.evaluate(
        """async () => (await window.jupyterapp.serviceManager.contents.get(
             '', {content: true})).content.map((item) => item.name)"""
    )
    assert ".env" not in names and "key_panel.ipynb" in names  # the drive is there, no .env
    assert_browser_storage_holds_no_key(again, [k, *sorted(before)], "after closing the tab")
    # The storage reader sees what the site's drive keeps: a file saved there is found.
    marker = "xsk-storage-marker-" + secrets.token_hex(8)
    again.evaluate(
        """async (text) => window.jupyterapp.serviceManager.contents.save(
             'marker.txt', {type: 'file', format: 'text', content: text})""",
        marker,
    )
    assert marker in browser_storage_text(again)
