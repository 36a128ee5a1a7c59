"""The course website (``make site``) in Chromium, with only 127.0.0.1 resolvable.

Every page renders with no request to another host; the search finds a lesson; each lesson's
"Launch in the browser" link opens that lesson in the site's own JupyterLite, where its first
code cell runs; the pages read at 400 px (no sideways scrolling, text at a readable size).
Screenshots at 1366 and 400 px, light and dark, go to test-artifacts/course-site/.

``make test`` builds the site first (``make site``). Without Chromium, Playwright or a built
site this file skips with a message, unless ``XSK_REQUIRE_BROWSER=1`` (CI), where that fails.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[1]
SITE = REPO / "course" / "_build" / "html"
ARTIFACTS = REPO / "test-artifacts" / "course-site"
sys.path.insert(0, str(REPO / "lite"))
import serve  # noqa: E402  (lite/serve.py: a static server with the content types Lite needs)
from _browser import pages  # noqa: E402
from _browser.leaks import key_fragments_in  # noqa: E402

#: Only the loopback address resolves; every other name fails before any packet leaves.
CHROMIUM_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
#: A Pyodide kernel boots in 5-20 s here (2 shared cores); a generous guard, not a timing test.
KERNEL_TIMEOUT_MS = 120_000
UI_TIMEOUT_MS = 30_000
#: The pages' readable size at 400 px: the body text's computed font size, in CSS pixels.
MIN_FONT_PX = 14


def chromium() -> str | None:
    return os.environ.get("XSK_CHROMIUM") or shutil.which("chromium")


def why_not() -> str:
    if chromium() is None:
        return "no Chromium (apt-get install chromium, or set XSK_CHROMIUM)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    if not (SITE / "index.html").is_file():
        return "no course site in course/_build/html (run `make site`, as `make test` does)"
    return ""


pytestmark = pytest.mark.skipif(
    bool(why_not()) and os.environ.get("XSK_REQUIRE_BROWSER") != "1",
    reason=f"course site: {why_not()}",
)


def lesson_names() -> list[str]:
    """The lessons the site publishes: notebooks/ minus the panel app (course/conf.py)."""
    return sorted(p.stem for p in (SITE / "notebooks").glob("*.html"))


def site_pages() -> list[str]:
    """Every HTML page of the course site itself (JupyterLite's own pages excluded)."""
    return sorted(
        p.relative_to(SITE).as_posix()
        for p in SITE.rglob("*.html")
        if p.relative_to(SITE).parts[0] not in ("lite", "_static", "_sources")
    )


class Guard:
    """Records every request of a browser profile, and those to any host but the site's.

    It only listens (Chromium's resolver already fails every other name): intercepting each
    request through Python would slow JupyterLite's start-up, which fetches ~100 files."""

    def __init__(self, base_url: str) -> None:
        self.netloc = urlsplit(base_url).netloc
        self.local = 0
        self.foreign: list[str] = []

    def seen(self, request: Any) -> None:
        url = request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or parts.netloc == self.netloc:
            self.local += 1
        else:
            self.foreign.append(url)


@pytest.fixture(scope="module")
def site() -> Iterator[serve.SiteServer]:
    reason = why_not()
    if reason:
        pytest.fail(f"XSK_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    with serve.serving(SITE) as server:
        yield server


@pytest.fixture(scope="module")
def browser(playwright_session: Any, site: serve.SiteServer) -> Iterator[Any]:
    chrome = playwright_session.chromium.launch(
        executable_path=chromium(), headless=True, args=CHROMIUM_ARGS
    )
    yield chrome
    chrome.close()


@pytest.fixture
def guard(site: serve.SiteServer) -> Guard:
    return Guard(site.base_url)


def new_page(browser: Any, guard: Guard, width: int = 1366, scheme: str = "light") -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    context.set_default_timeout(UI_TIMEOUT_MS)
    context.on("request", guard.seen)
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.errors.append(str(error)))  # type: ignore[attr-defined]
    return page


def shoot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_the_site_has_every_page_the_class_needs() -> None:
    pages = site_pages()
    for page in ("index.html", "glossary.html", "search.html", "docs/teaching-guide.html",
                 "docs/statistics.html", "docs/launching-the-class.html"):
        assert page in pages, f"{page} is missing from the course site"
    lessons = lesson_names()
    unpublished = ("key_panel", "practice_leaks")  # the app, and lesson 5's planted-key practice
    sources = sorted(p.stem for p in (REPO / "notebooks").glob("*.ipynb")
                     if p.stem not in unpublished)
    assert lessons == sources, "every lesson of notebooks/ has its page, and nothing else"
    assert not [p for p in pages if Path(p).name.startswith("teacher")], (
        "teacher-only files of docs/ (names starting with 'teacher') are never published"
    )


def test_every_page_renders_with_no_request_to_another_host(
    browser: Any, site: serve.SiteServer, guard: Guard
) -> None:
    page = new_page(browser, guard)
    for name in site_pages():
        page.goto(f"{site.base_url}/{name}", wait_until="load")
        heading = page.locator("#main-content h1:visible").first
        heading.wait_for()
        assert heading.inner_text().strip(), f"{name}: no title shown"
        assert page.errors == [], f"{name}: script errors {page.errors}"
    page.goto(f"{site.base_url}/index.html", wait_until="load")
    shoot(page, "home-1366-light")
    page.context.close()
    assert guard.foreign == [], f"requests to other hosts: {sorted(set(guard.foreign))}"
    assert guard.local > len(site_pages())


def test_a_lesson_page_shows_the_student_version_without_outputs(
    browser: Any, site: serve.SiteServer, guard: Guard
) -> None:
    page = new_page(browser, guard)
    page.goto(f"{site.base_url}/notebooks/02_your_first_key.html", wait_until="load")
    body = page.locator("article")
    assert "%xs_secret_key --bits 512" in body.inner_text()
    assert body.locator(".cell_output").count() == 0, "no stored output is shown"
    assert body.locator(".xsk-report-card").count() == 0
    page.context.close()


def test_search_finds_a_lesson(browser: Any, site: serve.SiteServer, guard: Guard) -> None:
    page = new_page(browser, guard)
    page.goto(f"{site.base_url}/search.html?q=base64url", wait_until="load")
    results = page.locator("#search-results li a")
    results.first.wait_for()
    targets = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    assert any(t.startswith("notebooks/") for t in targets), targets
    page.context.close()
    assert guard.foreign == []


@pytest.mark.parametrize("width", [1366, 400])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_are_readable_at_both_widths(
    browser: Any, site: serve.SiteServer, guard: Guard, width: int, scheme: str
) -> None:
    page = new_page(browser, guard, width, scheme)
    for name in ("index.html", "notebooks/02_your_first_key.html", "docs/teaching-guide.html"):
        page.goto(f"{site.base_url}/{name}", wait_until="load")
        page.locator("article h1").first.wait_for()
        layout = page.evaluate(
            """() => ({scroll: document.documentElement.scrollWidth, view: window.innerWidth,
                       font: parseFloat(getComputedStyle(document.querySelector('article p'))
                                        .fontSize),
                       theme: document.documentElement.dataset.theme})"""
        )
        assert layout["scroll"] <= layout["view"] + 1, f"{name} at {width} px scrolls sideways"
        assert layout["font"] >= MIN_FONT_PX, f"{name} at {width} px: text of {layout['font']} px"
        assert layout["theme"] == scheme, f"{name}: theme {layout['theme']}, asked {scheme}"
        stem = Path(name).stem.split("_")[0]
        shoot(page, f"{stem}-{width}-{scheme}")
    if width == 400:
        launch = page.goto(f"{site.base_url}/notebooks/02_your_first_key.html")
        assert launch is not None
        link = page.get_by_role("link", name="Launch in the browser")
        assert link.is_visible(), "the launch button is on screen at 400 px"
    page.context.close()
    assert guard.foreign == []


_OPEN_NOTEBOOK_JS = """
() => {
  const app = window.jupyterapp;
  const w = app && app.shell && app.shell.currentWidget;
  if (!w || !w.context || !w.sessionContext || !w.content) return null;
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  const ready = w.context.isReady && kernel && kernel.connectionStatus === "connected"
                && kernel.status === "idle";
  return ready ? w.context.path : null;
}
"""

_RUN_FIRST_CODE_CELL_JS = """
async () => {
  const app = window.jupyterapp;
  const notebook = app.shell.currentWidget.content;
  const index = notebook.widgets.findIndex((cell) => cell.model.type === "code");
  notebook.activeCellIndex = index;
  notebook.deselectAll();
  await app.commands.execute("notebook:run-cell");
  return index;
}
"""

_CELL_RESULT_JS = """
(index) => {
  const w = window.jupyterapp.shell.currentWidget;
  const cell = w.content.widgets[index];
  const kernel = w.sessionContext.session.kernel;
  if (cell.model.executionCount === null || kernel.status !== "idle") return null;
  const outputs = [];
  for (let i = 0; i < cell.model.outputs.length; i++) {
    outputs.push(cell.model.outputs.get(i).toJSON());
  }
  return {count: cell.model.executionCount, outputs};
}
"""


_FORGET_WORKSPACE_JS = """
async () => {
  localStorage.clear();
  for (const db of await indexedDB.databases()) {
    await new Promise((done) => {
      const request = indexedDB.deleteDatabase(db.name);
      request.onsuccess = request.onerror = request.onblocked = done;
    });
  }
}
"""


class Launches:
    """The lessons' "Launch in the browser" links, clicked in two browser profiles (two
    students' browsers, each keeping Pyodide in its HTTP cache from one lesson to the next),
    the lessons shared between them in turn. A profile clicks its next lesson's link as soon as
    its previous lesson is checked, so that kernel starts while the other profile's lesson is
    checked (a start is 10-12 s here, most of a launch; in one profile, one after the other,
    the six launches took 82 s of make test)."""

    PROFILES = 2

    def __init__(self, browser: Any, site: serve.SiteServer) -> None:
        self.site = site
        names = lesson_names()
        self.queues = [names[i :: self.PROFILES] for i in range(self.PROFILES)]
        self.profile_of = {name: i for i, queue in enumerate(self.queues) for name in queue}
        self.guards = [Guard(site.base_url) for _ in range(self.PROFILES)]
        self.pages = [new_page(browser, guard) for guard in self.guards]
        self.current: list[str | None] = [None] * self.PROFILES
        for profile in range(self.PROFILES):
            self.launch_next(profile)

    def launch_next(self, profile: int) -> None:
        """Click the profile's next lesson's link (and return at once)."""
        queue = self.queues[profile]
        self.current[profile] = lesson = queue.pop(0) if queue else None
        if lesson is None:
            return
        page = self.pages[profile]
        page.goto(f"{self.site.base_url}/notebooks/{lesson}.html", wait_until="load")
        # JupyterLite restores the last workspace (the previous lesson and its kernel) from
        # the browser's storage; forget it, so the link alone decides what opens.
        page.evaluate(_FORGET_WORKSPACE_JS)
        page.get_by_role("link", name="Launch in the browser").click()

    def page_of(self, lesson: str) -> tuple[Any, Guard]:
        """The page where ``lesson`` was launched (launching the ones before it if a test
        selection skipped them)."""
        profile = self.profile_of[lesson]
        while self.current[profile] not in (lesson, None):
            self.launch_next(profile)
        assert self.current[profile] == lesson, f"{lesson} was launched already"
        return self.pages[profile], self.guards[profile]

    def close(self) -> None:
        for page in self.pages:
            page.context.close()


@pytest.fixture(scope="module")
def launches(browser: Any, site: serve.SiteServer) -> Iterator[Launches]:
    launches = Launches(browser, site)
    yield launches
    launches.close()


@pytest.fixture
def launched(launches: Launches, lesson: str) -> Iterator[tuple[Any, Guard]]:
    """The page where ``lesson``'s link was clicked; after the test, its profile's next."""
    yield launches.page_of(lesson)
    launches.launch_next(launches.profile_of[lesson])


def core_lesson(lesson: str) -> bool:
    """A lesson of the 90-minute path (notebooks/0N_*), not an optional one (1N_*)."""
    return fnmatch(f"{lesson}.ipynb", pages.LESSON_GLOB)


@pytest.mark.parametrize("lesson", lesson_names())
def test_launch_in_the_browser_opens_the_lesson_and_it_runs(
    launched: tuple[Any, Guard], lesson: str
) -> None:
    """The published browser-only site, as a student meets it: the lesson's launch button
    opens it in JupyterLite; a core lesson then runs cell by cell with no failure and saves no
    key (the site ``make lite`` builds is the same build: see the next test), an optional one
    runs its first code cell."""
    page, guard = launched
    opened = page.wait_for_function(_OPEN_NOTEBOOK_JS, timeout=KERNEL_TIMEOUT_MS, polling=250)
    assert opened.json_value() == f"notebooks/{lesson}.ipynb", "the lesson the link names"
    if core_lesson(lesson):
        assert pages.windowing_mode(page) == "none"  # every cell rendered for the driver
        failures = pages.run_cells_one_by_one(page)
        assert not failures, "\n".join(
            f"cell {f.index} ({f.source.splitlines()[0] if f.source else ''!r}): {f.error}"
            for f in failures
        )
        keys = pages.unrevealed_keys(page)
        saved = pages.save_and_read_back(page)
        json.loads(saved)  # a notebook, not an error page
        for k in keys:
            pieces = key_fragments_in(saved, k)
            assert not pieces, f"{len(pieces)} 8-char piece(s) of a masked key in the saved file"
    else:
        index = page.evaluate(_RUN_FIRST_CODE_CELL_JS)
        assert index >= 0, f"{lesson} has a code cell"
        result = page.wait_for_function(
            _CELL_RESULT_JS, arg=index, timeout=KERNEL_TIMEOUT_MS, polling=250
        ).json_value()
        errors = [o for o in result["outputs"] if o["output_type"] == "error"]
        assert result["count"] == 1 and errors == [], f"{lesson}: {json.dumps(errors)[:500]}"
    sessions = page.evaluate("() => [...window.jupyterapp.serviceManager.sessions.running()]"
                             ".length")
    assert sessions == 1, "only this lesson's kernel runs"
    if lesson.startswith("02"):
        shoot(page, "lesson-02-in-jupyterlite-1366")
    assert guard.foreign == [], f"requests to other hosts: {sorted(set(guard.foreign))}"


def test_the_sites_jupyterlite_is_the_one_make_lite_builds() -> None:
    """One build, tested once in the browser: the course's lite/ and ``make lite``'s site/
    hold the same files byte for byte, except where the lessons sit (notebooks/ here, the
    root there) and the contents index that lists them. tests/lite/ runs site/'s panel pages;
    the lessons run above, from their launch buttons."""
    lite, built = SITE / "lite", REPO / "site"
    if not (built / "index.html").is_file():
        pytest.fail("no site/: make lite builds it (make test does, first)", pytrace=False)

    def files(root: Path, lessons: str) -> dict[str, bytes]:
        return {
            path.relative_to(root).as_posix().replace(lessons, "files/", 1): path.read_bytes()
            for path in root.rglob("*")
            if path.is_file() and path.name not in (".xsk-built", "all.json")  # the indexes
        }

    theirs, ours = files(lite, "files/notebooks/"), files(built, "files/")
    assert sorted(theirs) == sorted(ours)
    assert [rel for rel in ours if ours[rel] != theirs[rel]] == []


def test_lesson_pages_link_binder_and_the_hub_from_the_one_repository_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import html
    import importlib.util

    sys.path.insert(0, str(REPO / "binder"))
    import launch_links

    repo = launch_links.repository()
    lesson = "notebooks/02_your_first_key"
    page = (SITE / f"{lesson}.html").read_text(encoding="utf-8")
    binder = launch_links.binder_url(f"lab/tree/{lesson}.ipynb", repo)
    assert f'href="{html.escape(binder)}"' in page, "the built page's Binder link"
    assert 'href="../lite/lab/index.html?path=notebooks/02_your_first_key.ipynb"' in page

    # Built for a hub (make site JUPYTERHUB_URL=...): the nbgitpuller link from the same setting.
    monkeypatch.setenv("XSK_JUPYTERHUB_URL", "https://hub.example.edu")
    monkeypatch.setenv("XSK_SITE_SOURCE", str(tmp_path))
    spec = importlib.util.spec_from_file_location("course_conf", REPO / "course" / "conf.py")
    assert spec is not None and spec.loader is not None
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    strip = conf.launch_strip(lesson)
    hub = launch_links.nbgitpuller_url("https://hub.example.edu", repo, f"{lesson}.ipynb")
    assert f'href="{html.escape(hub)}"' in strip and "Launch on JupyterHub" in strip
    assert conf.html_theme_options["launch_buttons"]["jupyterhub_url"] == "https://hub.example.edu"
