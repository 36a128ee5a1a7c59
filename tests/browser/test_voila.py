"""The panel notebook served by Voilà, driven by Chromium as a student would use it (issue #5)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import checks
import harness
import pytest

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page, Request, WebSocket

pytestmark = pytest.mark.browser
checks.skip_module_unless_browser()


def test_panel_shows_no_error_output(voila_page: Page) -> None:
    """The app rendered the panel and nothing else went wrong while its notebook ran."""
    assert voila_page.locator(".xsk-panel").count() == 1
    errors = voila_page.locator(harness.VOILA_ERROR)
    assert errors.count() == 0, errors.all_inner_texts()


@pytest.mark.parametrize("bits", harness.ALLOWED_BITS)
def test_panel_key_size(voila_page: Page, voila_server: harness.Server, bits: int) -> None:
    """Pick a size, Generate, read the masked report, reveal (right length), hide (gone)."""
    # Voilà's page is only the app, so the whole body is searched; its token is ours.
    checks.key_size_round_trip(
        voila_page, bits, "body", (voila_server.token,), artifact=f"voila-panel-{bits}.png"
    )


def test_panel_controls(voila_page: Page) -> None:
    """Runs after the clicks above, once every widget update has reached the page."""
    checks.check_panel_controls(voila_page)


# --------------------------------------------------------------------------- issue 10

SIZES = [(1366, 768), (400, 800)]
OUTPUT_AREA = ".jp-OutputArea-output"


@pytest.fixture
def sized(voila_page: Page, request: pytest.FixtureRequest) -> Iterator[Page]:
    """The Voilà page at the test's viewport size, put back to the tall default afterwards."""
    width, height = request.param
    voila_page.set_viewport_size({"width": width, "height": height})
    harness.next_frames(voila_page)
    yield voila_page
    voila_page.set_viewport_size({"width": 1280, "height": 2400})


@pytest.mark.parametrize("sized", SIZES, indirect=True, ids=["1366x768", "400x800"])
def test_every_control_fits_the_viewport(sized: Page) -> None:
    checks.check_controls_fit(sized, sized.viewport_size["width"])


@pytest.mark.parametrize("sized", SIZES, indirect=True, ids=["1366x768", "400x800"])
def test_save_and_refusal_show_beside_save(sized: Page) -> None:
    """In the app, the message also says the file is on the server, not the student's computer."""
    checks.check_save_messages(sized, app=True)


def test_the_app_speaks_to_app_users(voila_page: Page) -> None:
    """No ".reveal()" and no "saved with the notebook" where the student cannot do either."""
    harness.click_generate(voila_page)
    harness.wait_generate_done(voila_page)
    for on in (False, True):
        harness.set_reveal(voila_page, on)
        text = harness.panel_root(voila_page).inner_text()
        assert ".reveal()" not in text and "saved with the notebook" not in text, on
    harness.set_reveal(voila_page, False)


def test_copy_puts_the_key_on_the_clipboard_and_nowhere_else(voila_page: Page) -> None:
    checks.check_copy(voila_page, 1024)


@pytest.mark.parametrize("sized", [(400, 800)], indirect=True, ids=["400x800"])
def test_a_revealed_key_stays_inside_the_output_area(sized: Page) -> None:
    checks.check_reveal_stays_inside(sized, OUTPUT_AREA)


def test_screenshots_light_and_dark(
    voila_page: Page, voila_server: harness.Server, chromium: harness.Chromium
) -> None:
    """test-artifacts/voila-panel-{light,dark}-{1366,400}.png on every run (masked keys only).
    The dark page is a second app page (Voilà's ?theme=dark), with its own kernel."""
    harness.click_generate(voila_page)
    harness.wait_generate_done(voila_page)
    try:
        shots = checks.panel_screenshots(voila_page, "voila-panel", "light")
    finally:
        voila_page.set_viewport_size({"width": 1280, "height": 2400})
    dark = harness.new_page(chromium)
    try:
        harness.open_voila(dark, voila_server, "&theme=dark")
        harness.click_generate(dark)
        harness.wait_generate_done(dark)
        shots += checks.panel_screenshots(dark, "voila-panel", "dark")
        dark_violations = checks.serious_axe_violations(dark)
    finally:
        dark.context.close()
    assert all(shot.stat().st_size > 1000 for shot in shots)
    assert not dark_violations, dark_violations


def test_panel_has_no_serious_accessibility_violation(voila_page: Page) -> None:
    violations = checks.serious_axe_violations(voila_page)
    assert not violations, violations


def test_copy_falls_back_without_the_clipboard_api(voila_page: Page) -> None:
    """Where navigator.clipboard is missing (a page that is not a secure context), Copy still
    copies exactly k, through a transient text area that is gone afterwards."""
    voila_page.evaluate(
        "() => { window.__xskClipboard = navigator.clipboard;"
        " Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true}); }"
    )
    try:
        harness.choose_bits(voila_page, 2048)
        harness.click_generate(voila_page)
        harness.wait_generate_done(voila_page)
        root = harness.panel_root(voila_page)
        voila_page.evaluate("() => window.__xskClipboard.writeText('')")
        root.locator("button.xsk-copy-k").click()
        root.locator(".xsk-copy-status", has_text="Copied").wait_for()
        copied = str(voila_page.evaluate("() => window.__xskClipboard.readText()"))
        assert root.locator("textarea").count() == 0  # the transient text area is gone
        harness.set_reveal(voila_page, True)
        assert checks.revealed_key(harness.report_card(voila_page), 2048) == copied
        harness.set_reveal(voila_page, False)
        pieces = harness.key_fragments_in(checks.whole_page(voila_page), copied)
        assert not pieces, f"{len(pieces)} 8-char piece(s) of the copied key left in the page"
    finally:
        voila_page.evaluate(
            "() => { Object.defineProperty(navigator, 'clipboard',"
            " {value: window.__xskClipboard, configurable: true});"
            " return navigator.clipboard.writeText(''); }"
        )


def test_generate_and_copy_work_from_the_keyboard(voila_page: Page) -> None:
    root = harness.panel_root(voila_page)
    root.evaluate(harness.ARM_TIMER_JS)
    root.locator(".xsk-generate").focus()
    voila_page.keyboard.press("Enter")
    voila_page.wait_for_function("() => window.__xskProbe.renderedAt !== null")
    harness.wait_generate_done(voila_page)
    root.locator("button.xsk-copy-k").focus()
    voila_page.keyboard.press("Space")
    root.locator(".xsk-copy-status", has_text="Copied").wait_for()
    voila_page.evaluate("() => navigator.clipboard.writeText('')")


# --------------------------------------------------------------------------- issue 20


def test_checkboxes_sit_beside_their_labels(voila_page: Page) -> None:
    checks.check_checkboxes_beside_their_labels(voila_page)


def test_no_null_tooltip_and_the_thumbprint_caveat_is_shown(voila_page: Page) -> None:
    checks.check_no_null_tooltip(voila_page)
    checks.check_kid_note(voila_page)


def test_sizes_are_one_radio_group_for_the_arrow_keys(voila_page: Page) -> None:
    checks.check_sizes_are_one_radio_group(voila_page)


# --------------------------------------------------------------------------- issue 20 (C10)

# Resolves with the faces of Font Awesome 5's solid font that the page could load: the icon
# classes ipywidgets' Button(icon=...) uses work only if that font is declared and fetched.
_FONT_AWESOME_JS = """
async () => (await document.fonts.load('900 16px "Font Awesome 5 Free"')).length
"""


@pytest.mark.parametrize(
    ("size", "theme"),
    [((1366, 768), "light"), ((400, 800), "dark")],
    ids=["1366x768-light", "400x800-dark"],
)
def test_the_app_asks_no_other_host_and_logs_no_error(
    voila_server: harness.Server,
    chromium: harness.Chromium,
    size: tuple[int, int],
    theme: str,
) -> None:
    """UX review C10: Voilà's lab template linked Font Awesome from cdn.jsdelivr.net on every
    load (a third party learns who opens the app; offline, console errors), and nbgrader's
    labextension failed in the console. With the kit's template (servers.VOILA_TEMPLATE) a page
    load, a Generate and a resize ask nothing of any host but 127.0.0.1 and log no error, and
    Font Awesome still loads (from Voilà's own files). One load per theme, at one size, then
    resized to the other (a load starts a kernel; both widths and both themes are covered)."""
    page = harness.new_page(chromium)
    asked: list[str] = []
    errors: list[str] = []

    def on_request(request: Request) -> None:
        asked.append(request.url)

    def on_websocket(socket: WebSocket) -> None:
        asked.append(socket.url)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"{message.text} ({message.location.get('url', '')})")

    page.on("request", on_request)
    page.on("websocket", on_websocket)
    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    try:
        width, height = size
        page.set_viewport_size({"width": width, "height": height})
        harness.open_voila(page, voila_server, "&theme=dark" if theme == "dark" else "")
        assert page.evaluate(_FONT_AWESOME_JS) > 0, "Font Awesome is not served by Voilà"
        harness.click_generate(page)
        harness.wait_generate_done(page)
        harness.next_frames(page)
        harness.page_screenshot(page, f"voila-page-{theme}-{width}x{height}.png")
        other = (400, 800) if width == 1366 else (1366, 768)
        page.set_viewport_size({"width": other[0], "height": other[1]})
        harness.next_frames(page)
        harness.page_screenshot(page, f"voila-page-{theme}-{other[0]}x{other[1]}.png")
    finally:
        page.context.close()
    network = [url for url in asked if urlsplit(url).scheme not in ("data", "blob")]
    others = [url for url in network if urlsplit(url).hostname != "127.0.0.1"]
    assert network and not others, others
    assert not errors, errors
