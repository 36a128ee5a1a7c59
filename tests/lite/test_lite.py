"""The browser-only site (issue 11) in Debian's Chromium, with nothing but 127.0.0.1 reachable.

The key panel's notebook is opened in the site's JupyterLab and run cell by cell in Pyodide, its
Generate shows a masked report card, and the notebook is saved: what the browser keeps must hold
no character of any key the kernel made and did not reveal on purpose; ``%xs_scan`` finds a key
file in the site's drive. The panel's own page, ``site/panel.html``, is tested in
test_panel_html.py; every lesson runs cell by cell from its launch button on the course website
(tests/test_course_site.py), whose JupyterLite is this site's build, file for file. Every
request any page made is counted; none may go anywhere but the local site server.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import litepage
import pytest
from _browser import pages

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from serve import SiteServer

pytestmark = pytest.mark.browser

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
    lite_site.bytes_sent = 0  # a fresh profile: this is a first visit
    litepage.open_notebook(lite_page, lite_site.base_url, litepage.PANEL_NOTEBOOK)
    failures = litepage.run_cells_one_by_one(lite_page)
    assert not failures, failures
    first_visit = lite_site.bytes_sent  # the app, Pyodide and every preloaded wheel
    assert first_visit <= litepage.FIRST_VISIT_BUDGET, f"first visit: {first_visit:,} bytes"
    litepage.wait_for_panel(lite_page)
    card = litepage.click_generate(lite_page)
    masked = litepage.MASKED_K.search(card)
    assert masked, card[:300]
    assert lite_page.locator(".xsk-panel .xsk-revealed-k").count() == 0
    keys = assert_saved_notebook_holds_no_key(lite_page)
    assert keys >= 1  # the panel's key was looked for
    assert_xs_scan_finds_a_key_file_in_the_drive(lite_page)  # the same kernel, no second boot
    assert_timestamps_read_as_the_sites_python_can(lite_page)
    assert lite_guard.foreign == []


def assert_xs_scan_finds_a_key_file_in_the_drive(lite_page: Page) -> None:
    answer = str(lite_page.evaluate(pages._KERNEL_EXEC_JS, _SCAN_THE_DRIVE_PY)).strip()
    assert answer.startswith("{"), answer[:300]
    result = json.loads(answer.splitlines()[-1])
    assert "1 leak(s)" in result["out"] and "a JWK with secret material" in result["out"], result
    assert not result["shows_key"]


#: The timestamp filters in Pyodide: UTC always; a named zone only with a time zone database,
#: which the site's Pyodide may lack (then the refusal must say so, in one sentence).
_TIMESTAMPS_PY = """
import json as _json, zoneinfo as _zi
from xsk_nb.xanoscript import run as _run, XanoScriptError as _E
_utc = _run('response = 1692132330000|format_timestamp:"Y-m-d H:i:s":"UTC"').raw
try:
    _ny = _run('response = 1692132330000|format_timestamp:"Y-m-d H:i:s":"America/New_York"').raw
except _E as _error:
    _ny = "refused: " + str(_error)
print(_json.dumps({"utc": _utc, "ny": _ny, "has_db": bool(_zi.available_timezones())}))
"""


def assert_timestamps_read_as_the_sites_python_can(lite_page: Page) -> None:
    answer = str(lite_page.evaluate(pages._KERNEL_EXEC_JS, _TIMESTAMPS_PY)).strip()
    result = json.loads(answer.splitlines()[-1])
    assert result["utc"] == "2023-08-15 20:45:30", result
    if result["has_db"]:
        assert result["ny"] == "2023-08-15 16:45:30", result  # expression_guideline.md L734
    else:
        assert result["ny"].startswith("refused: ") and "no time zone database" in result["ny"]


def test_no_request_left_the_machine(lite_guard: litepage.NetworkGuard) -> None:
    """Runs last (file order): every page of this module asked only the local site server."""
    assert lite_guard.served > 0
    assert lite_guard.foreign == [], lite_guard.foreign[:10]


def test_startup_modules_ship_compiled_and_the_kit_keeps_its_source() -> None:
    """issue 20 (speed): the third-party modules the kernel and the panel import at start are
    byte-compiled at build time (lite/pycompile.mjs), so a page load does not compile IPython &
    co. from source in WebAssembly; the kit's own wheel stays source only (its .pyc would cost
    the first visit about 100 kB for about 0.1 s of compiling), so a traceback into the kit
    shows its lines; and every wheel still names its imports in the lock (Pyodide loads a
    package on ``import`` by those names)."""
    import zipfile

    folder = litepage.SITE / "static" / "pyodide"
    (ipython,) = folder.glob("ipython-*.whl")
    (kit,) = folder.glob("xsk_nb-*.whl")
    ipython_names = set(zipfile.ZipFile(ipython).namelist())
    assert "IPython/core/interactiveshell.pyc" in ipython_names
    assert "IPython/core/interactiveshell.py" not in ipython_names
    kit_names = set(zipfile.ZipFile(kit).namelist())
    assert "xsk_nb/key_panel.py" in kit_names
    assert not [n for n in kit_names if n.endswith(".pyc")]
    lock = json.loads((folder / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert all(spec["imports"] for spec in lock["packages"].values())
    assert lock["packages"]["ipython"]["imports"] == ["IPython"]
