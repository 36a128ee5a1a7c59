"""One home for driving Chromium in the tests and benchmarks (issue 22 item 4).

Unit, browser and site tests, and ``bench/``, use these modules, and only these:

- :mod:`_browser.chromium`: finding Debian's Chromium, its flags, starting it in its own
  process group (stopped by that id), fresh pages and contexts, the local-only network guard;
- :mod:`_browser.servers`: JupyterLab, Voilà and the built browser-only site on 127.0.0.1;
- :mod:`_browser.pages`: page drivers for JupyterLab, Voilà, JupyterLite and the key panel
  (in a page or in ``panel.html``'s frame), and screenshots into ``test-artifacts/``;
- :mod:`_browser.leaks`: the one leak helper: key pieces in a text, in an object, and in a
  browser's storage (IndexedDB, localStorage, sessionStorage).

``tests/browser/harness.py``, ``tests/lite/litepage.py`` and ``tests/leakcheck.py`` only
re-export from here, so tests written against them keep working. The one sync Playwright of a
test session is the ``playwright_session`` fixture of ``tests/conftest.py``.

pytest-playwright is not used: its ``playwright``/``browser``/``context``/``page`` fixtures would
shadow fixtures of those names in the suites, it launches a browser per its own options, and the
suites need one Playwright shared by three servers, Debian's Chromium started by us (so it can
be stopped by process group), and per-context request guards; what it would add here is small.
Playwright is imported only inside functions, so importing these modules stays cheap.
"""
