"""The browser-only site (issue 11) in Debian's Chromium, with nothing but 127.0.0.1 reachable.

Every core-path lesson (``notebooks/0[0-9]_*.ipynb``) is opened in the site's JupyterLab and run
cell by cell in Pyodide, and then saved: what the browser keeps must hold no character of any key
the kernel made and did not reveal on purpose. The key panel's Generate must show a masked report
card, in a notebook and in the panel's own page (``site/panel.html``: the REPL app running the
panel, issue 11's app page without Voici). Every request any page made is counted; none may go
anywhere but the local site server.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import litepage
import pytest
from _browser import pages
from build import PANEL_CODE, PANEL_PAGE

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from serve import SiteServer

pytestmark = pytest.mark.browser

LESSONS = litepage.lessons()


def test_there_are_lessons_to_run() -> None:
    assert LESSONS, f"no notebooks/{litepage.LESSON_GLOB}"


def assert_saved_notebook_holds_no_key(page: Page) -> int:
    """Save the open notebook to the browser's storage, read it back, look for every key.

    Returns how many keys were looked for.
    """
    keys = litepage.unrevealed_keys(page)
    saved = litepage.save_and_read_back(page)
    json.loads(saved)  # a notebook, not an error page
    for k in keys:
        pieces = litepage.key_fragments_in(saved, k)
        assert not pieces, f"{len(pieces)} 8-char piece(s) of a masked key in the saved notebook"
    return len(keys)


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_runs_cell_by_cell_and_saves_no_key(
    lite_site: SiteServer, lite_page: Page, lite_guard: litepage.NetworkGuard, lesson: str
) -> None:
    foreign_before = len(lite_guard.foreign)
    litepage.open_notebook(lite_page, lite_site.base_url, lesson)
    assert litepage.windowing_mode(lite_page) == "none"  # every cell rendered for the driver
    failures = litepage.run_cells_one_by_one(lite_page)
    assert not failures, "\n".join(
        f"cell {f.index} ({f.source.splitlines()[0] if f.source else ''!r}): {f.error}"
        for f in failures
    )
    assert_saved_notebook_holds_no_key(lite_page)
    assert lite_guard.foreign[foreign_before:] == []


#: Issue 18: the site has no server, so no save guard; %xs_scan scans the drive, dotfiles too.
_SCAN_THE_DRIVE_PY = """
import json as _json, os as _os, shutil as _shutil, xsk_nb as _x
from IPython import get_ipython as _ip
from IPython.utils.capture import capture_output as _capture
_k = _x.create_secret_key(512)["k"]
_os.makedirs("xsk-scan-test", exist_ok=True)
with open("xsk-scan-test/.env", "w") as _f:
    _f.write("JWT_SECRET=" + _json.dumps({"kty": "oct", "k": _k}) + "\\n")
_ip().run_line_magic("load_ext", "xsk_nb")
with _capture() as _out:
    _ip().run_line_magic("xs_scan", "xsk-scan-test")
_shutil.rmtree("xsk-scan-test")
_shown = _k[:8] in _out.stdout or _k[-8:] in _out.stdout
print(_json.dumps({"out": _out.stdout, "shows_key": _shown}))
"""


def test_panel_generate_shows_a_masked_report_and_saves_no_key(
    lite_site: SiteServer, lite_page: Page, lite_guard: litepage.NetworkGuard
) -> None:
    litepage.open_notebook(lite_page, lite_site.base_url, litepage.PANEL_NOTEBOOK)
    failures = litepage.run_cells_one_by_one(lite_page)
    assert not failures, failures
    litepage.wait_for_panel(lite_page)
    card = litepage.click_generate(lite_page)
    masked = litepage.MASKED_K.search(card)
    assert masked, card[:300]
    assert lite_page.locator(".xsk-panel .xsk-revealed-k").count() == 0
    keys = assert_saved_notebook_holds_no_key(lite_page)
    assert keys >= 1  # the panel's key was looked for
    assert_xs_scan_finds_a_key_file_in_the_drive(lite_page)  # the same kernel, no second boot
    assert lite_guard.foreign == []


def assert_xs_scan_finds_a_key_file_in_the_drive(lite_page: Page) -> None:
    answer = str(lite_page.evaluate(pages._KERNEL_EXEC_JS, _SCAN_THE_DRIVE_PY)).strip()
    assert answer.startswith("{"), answer[:300]
    result = json.loads(answer.splitlines()[-1])
    assert "1 leak(s)" in result["out"] and "a JWK with secret material" in result["out"], result
    assert not result["shows_key"]


def test_panel_page_generate_shows_a_masked_report_and_no_key(
    lite_site: SiteServer, lite_page: Page, lite_guard: litepage.NetworkGuard
) -> None:
    foreign_before = len(lite_guard.foreign)
    frame = litepage.open_panel_app(lite_page, lite_site.base_url, PANEL_PAGE)
    assert "/repl/index.html?" in frame.url  # the REPL app runs the panel in the page's frame
    card = litepage.click_generate(frame)
    masked = litepage.MASKED_K.search(card)
    assert masked, card[:300]
    assert frame.locator(".xsk-panel .xsk-revealed-k").count() == 0
    text = frame.locator("body").inner_text()
    assert PANEL_CODE.splitlines()[-1] not in text  # an app page: the code that made it is hidden
    # ... and it speaks to app users: nothing they cannot do or that is not true here.
    assert ".reveal()" not in text and "saved with the notebook" not in text
    keys = litepage.unrevealed_keys(frame)
    assert keys, "the kernel holds no key after Generate"
    # The page's body as HTML (its text, attributes and inline styles; about 35,000 characters):
    # no 8-character piece of any key. A piece is 48 random bits, so a chance match among N
    # characters has probability about N * (len(k) - 7) / 2**48: under 1e-6 for N < 400,000 and
    # a 4096-bit key's 683 characters.
    html = str(frame.evaluate("() => document.body.outerHTML"))
    html += str(lite_page.evaluate("() => document.body.outerHTML"))
    assert len(html) < 400_000, "the page grew: the false-alarm bound above no longer holds"
    for k in keys:
        pieces = litepage.key_fragments_in(html, k)
        assert not pieces, f"{len(pieces)} 8-char piece(s) of a masked key in the page"
    assert lite_guard.foreign[foreign_before:] == []




def test_no_request_left_the_machine(lite_guard: litepage.NetworkGuard) -> None:
    """Runs last (file order): every page of this module asked only the local site server."""
    assert lite_guard.served > 0
    assert lite_guard.foreign == [], lite_guard.foreign[:10]
