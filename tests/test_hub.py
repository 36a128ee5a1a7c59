"""The class on a real JupyterHub (hub/): three students at once, as in a classroom.

Each student logs in with the shared password (SharedPasswordAuthenticator), gets a server of
their own in their own folder (SimpleLocalProcessSpawner), follows the nbgitpuller link to a
git repository of the lessons, runs lesson 2's magic from the pulled lesson and clicks the
key panel's Generate through the kernel's widget messages, and sees a masked card each time.
No piece of any student's key reaches another student's folder, their own files, or the
hub's log (which holds every server's log too).

Needs .hub/ (`make hub-tools`, which `make test` runs); without it this file skips with the
command to run, unless XSK_REQUIRE_HUB=1 (CI), where that fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "hub"))
sys.path.insert(0, str(REPO / "tests"))
import driver  # noqa: E402
import hubctl  # noqa: E402
from leakcheck import key_pieces_in  # noqa: E402

STUDENTS = ["ada", "ben", "chi"]
LESSON = "notebooks/02_your_first_key.ipynb"
#: A key piece this long matches random text by chance with probability 64**-12 = 2.1e-22 per
#: position: below 1e-15 over the few MB searched here, for every key at once.
PIECE = 12

pytestmark = pytest.mark.skipif(
    bool(hubctl.missing_tools()) and os.environ.get("XSK_REQUIRE_HUB") != "1",
    reason=f"JupyterHub class test: {hubctl.missing_tools()}",
)


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[hubctl.Hub]:
    folder = tmp_path_factory.mktemp("hub")
    with hubctl.Hub(folder) as running:
        running.lessons = hubctl.lessons_repository(folder)  # type: ignore[attr-defined]
        yield running


def one_student(hub: hubctl.Hub, admin: driver.Admin, name: str) -> dict[str, object]:
    student = driver.Student(hub.url, admin, name, hub.password)
    student.log_in()
    link = hubctl.nbgitpuller_path(f"file://{hub.lessons}", LESSON)  # type: ignore[attr-defined]
    opened = student.follow_nbgitpuller(f"/user/{name}{link.removeprefix('/hub/user-redirect')}")
    cells = student.notebook_cells(f"lessons.git/{LESSON}")
    kernel = student.start_kernel()
    try:
        setup = next(c for c in cells if "%load_ext xsk_nb" in c)
        magic = next(c for c in cells if c.strip() == driver.LESSON2_MAGIC)
        assert kernel.execute(setup).status == "ok"
        shown = kernel.execute(magic)
        stored = kernel.execute(f"{driver.LESSON2_MAGIC} -v first",
                                {"k": "first.jwk()['k']"})
        panel = kernel.execute(driver.PANEL_CODE)
        _seconds, updates = kernel.click(driver.generate_button(panel), driver.card_update)
        panel_key = kernel.execute("pass", {"k": "panel.report.jwk()['k']"})
        # The other magic of the kit, as lesson 4's homework runs it (it needs lark, which
        # the hub's venv must keep while it drops rfc3987-syntax: the Makefile).
        xanoscript = kernel.execute("%%xanoscript\nresponse = 1 + 1")
    finally:
        kernel.close()
    return {
        "opened": opened,
        "magic_cards": [o for o in shown.outputs if driver.masked_card(
            o.get("data", {}).get("text/html", ""), o.get("data", {}).get("text/plain", ""))],
        "panel_cards": [u for u in updates if driver.card_update(u)],
        "keys": [driver.expression_text(stored, "k"), driver.expression_text(panel_key, "k")],
        "outputs": [shown.outputs, updates],
        "xanoscript": [o.get("data", {}).get("text/plain", o.get("text", ""))
                       for o in xanoscript.outputs if xanoscript.status == "ok"],
    }


def test_three_students_pull_the_lessons_and_get_masked_cards_and_no_key_leaks(
    hub: hubctl.Hub,
) -> None:
    admin = driver.Admin(hub.url, hub.token)
    admin.create_users(STUDENTS)
    with ThreadPoolExecutor(len(STUDENTS)) as pool:
        runs = dict(zip(STUDENTS, pool.map(lambda n: one_student(hub, admin, n), STUDENTS),
                        strict=True))

    for name, run in runs.items():
        assert run["opened"] == f"lab/tree/lessons.git/{LESSON}", name
        assert (hub.homes / name / "lessons.git" / LESSON).is_file(), f"{name} has the lesson"
        assert len(run["magic_cards"]) == 1, f"{name}: lesson 2's magic shows one masked card"
        assert run["panel_cards"], f"{name}: Generate put a masked card in the panel"
        assert any("2" in text for text in run["xanoscript"]), f"{name}: %%xanoscript ran"
        for k in run["keys"]:
            assert len(k) == 86, "a 512-bit key's k has 86 base64url characters"
            assert not key_pieces_in(repr(run["outputs"]), k, PIECE), f"{name}: key on screen"

    pids = {admin.server_pid(name) for name in STUDENTS}
    assert len(pids) == len(STUDENTS), "each student has a server of their own"

    keys = {name: run["keys"] for name, run in runs.items()}
    assert len({k for ks in keys.values() for k in ks}) == 2 * len(STUDENTS), "all keys differ"
    places = {f"{name}'s folder": hub.homes / name for name in STUDENTS}
    texts = {}
    for place, folder in places.items():
        files = [p for p in folder.rglob("*") if p.is_file()]
        assert files, f"{place} holds the pulled lessons at least"
        texts[place] = "\n".join(p.read_bytes().decode("utf-8", "replace") for p in files)
    texts["the hub's log"] = hub.log.read_text(encoding="utf-8", errors="replace")
    assert "ada" in texts["the hub's log"], "the log is the one the servers wrote to"
    for name, student_keys in keys.items():
        for place, text in texts.items():
            for k in student_keys:
                assert not key_pieces_in(text, k, PIECE), f"{name}'s key is in {place}"


def test_the_hub_benchmark_runs_every_step_with_two_students(hub: hubctl.Hub) -> None:
    """bench/hub_bench.py --smoke on this hub: the login rush, nbgitpuller, the magic, Generate
    alone and together, memory, the statistics lesson at once. No figure is asserted. Two of
    the class's students (their servers already up: the run checks every step, not a rush)."""
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "hub_bench.py"), "--smoke", "--hub-url", hub.url,
         "--token", hub.token, "--lessons", f"file://{hub.lessons}",  # type: ignore[attr-defined]
         "--names", ",".join(STUDENTS[:2])],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for step in ("login rush:", "all 2 within 2 s", "statistics lesson:", "0 failed cells",
                 "memory per student after lesson 10", "capacity"):
        assert step in done.stdout, f"the benchmark printed no {step!r} line"
