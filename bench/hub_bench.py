"""A class of 30 on one JupyterHub (hub/): what one server holds.

    python bench/hub_bench.py                 # 30 students on a hub of its own
    python bench/hub_bench.py --students 60
    python bench/hub_bench.py --smoke         # 2 students, every step, no figures to read

Steps, all students at once as in a classroom:
1. the login rush: every student submits the login form in the same second; time until
   each JupyterLab answers, and until the last one does; then each follows the nbgitpuller
   link, starts a kernel and runs lesson 2's magic (a masked card each);
2. the key panel: every student clicks Generate within the same 2 seconds (3 rounds); the
   time from the click to the masked card on the student's screen (the widget update), as a
   ratio to one student clicking alone (the baseline, measured first in the same run);
3. memory per student: the single-user server and its kernel (RSS and PSS, psutil);
4. the optional statistics lesson (numpy, scipy, matplotlib) run by every student at once,
   against one student running it alone first;
then how many students a server of a given size holds, from the memory and CPU seconds
measured (an extrapolation, said as one).

Every student must succeed: a failure is printed and the exit status is 1.
Needs .hub/ (`make hub-tools`) and, in the running Python, requests, websocket-client, psutil.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "hub"))
import driver  # noqa: E402
import hubctl  # noqa: E402

LESSON2 = "notebooks/02_your_first_key.ipynb"
LESSON10 = "notebooks/10_optional_entropy_statistics.ipynb"
#: What a login rush may take on the class's hub (the issue's goal): all students in.
RUSH_GOAL_S = 60
#: Memory kept for the system and the hub itself when sizing a server.
RESERVE_GIB = 2.0
MIB = 2**20


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def summary(values: list[float], unit: str = "s") -> str:
    return (f"p50 {pct(values, 50):.3f} {unit}, p95 {pct(values, 95):.3f} {unit}, "
            f"max {max(values):.3f} {unit} (n = {len(values)})")


class Class:
    """The students of one run and what they have open."""

    def __init__(self, hub_url: str, token: str, password: str, lessons: str,
                 names: list[str]) -> None:
        self.hub_url, self.lessons = hub_url, lessons
        self.admin = driver.Admin(hub_url, token)
        self.names = names
        self.students = {m: driver.Student(hub_url, self.admin, m, password) for m in self.names}
        self.kernels: dict[str, driver.Kernel] = {}
        self.buttons: dict[str, str] = {}
        self.failures: list[str] = []
        #: What each student is doing now, named for the failure report.
        self.doing: dict[str, str] = {}

    def all_at_once(self, step: Any, spread: float = 0.0) -> dict[str, Any]:
        """Run ``step(name)`` for every student together (a barrier, then a random wait of up
        to ``spread`` seconds); a failure is recorded with the student's name."""
        barrier = threading.Barrier(len(self.names))

        def one(name: str) -> Any:
            barrier.wait()
            time.sleep(random.uniform(0, spread))
            try:
                return step(name)
            except Exception as error:  # every student must succeed: reported, not hidden
                self.failures.append(f"{name} failed at {self.doing.get(name, 'the start')}: "
                                     f"{type(error).__name__}: {error}")
                return None

        with ThreadPoolExecutor(len(self.names)) as pool:
            return dict(zip(self.names, pool.map(one, self.names), strict=True))

    def arrive(self, name: str) -> dict[str, float]:
        student = self.students[name]
        self.doing[name] = "the login rush (login form, server start, JupyterLab)"
        login_s = student.log_in()
        logged_in_at = time.monotonic()
        self.doing[name] = "the nbgitpuller link"
        link = hubctl.nbgitpuller_path(self.lessons, LESSON2)
        student.follow_nbgitpuller(f"/user/{name}{link.removeprefix('/hub/user-redirect')}")
        self.doing[name] = "starting a kernel and connecting its websocket"
        kernel = student.start_kernel()
        self.kernels[name] = kernel
        folder = self.lessons.rstrip("/").split("/")[-1]
        cells = student.notebook_cells(f"{folder}/{LESSON2}")
        setup = next(c for c in cells if "%load_ext xsk_nb" in c)
        self.doing[name] = "lesson 2's set-up cell (%load_ext xsk_nb)"
        if kernel.execute(setup).status != "ok":
            raise RuntimeError("lesson 2's set-up cell failed")
        self.doing[name] = f"lesson 2's magic ({driver.LESSON2_MAGIC})"
        shown = kernel.execute(driver.LESSON2_MAGIC)
        html = [o.get("data", {}).get("text/html", "") for o in shown.outputs]
        if not any(driver.masked_card(h) for h in html):
            raise RuntimeError("lesson 2's magic showed no masked card")
        self.doing[name] = "opening the key panel"
        panel = kernel.execute(driver.PANEL_CODE)
        self.buttons[name] = driver.generate_button(panel)
        return {"login_s": login_s, "logged_in_at": logged_in_at, "ready_at": time.monotonic()}

    def generate(self, name: str) -> float:
        self.doing[name] = "clicking the panel's Generate"
        seconds, updates = self.kernels[name].click(self.buttons[name], driver.card_update)
        if not any(driver.card_update(u) for u in updates):
            raise RuntimeError("Generate showed no masked card")
        return seconds

    def lesson10(self, name: str) -> tuple[float, int]:
        folder = self.lessons.rstrip("/").split("/")[-1]
        cells = self.students[name].notebook_cells(f"{folder}/{LESSON10}")
        started, errors = time.monotonic(), 0
        for number, code in enumerate(cells, 1):
            self.doing[name] = f"the statistics lesson's code cell {number} of {len(cells)}"
            result = self.kernels[name].execute(code)
            errors += result.status != "ok"
        if errors:
            raise RuntimeError(f"the statistics lesson: {errors} cells failed")
        return time.monotonic() - started, errors

    def memory(self, name: str) -> dict[str, float]:
        """MiB of the student's server and of its kernel(s): RSS and PSS (shared pages split)."""
        server = psutil.Process(self.admin.server_pid(name))
        kids = server.children(recursive=True)

        def mem(p: psutil.Process) -> tuple[float, float]:
            info = p.memory_full_info()
            return info.rss / MIB, info.pss / MIB

        s_rss, s_pss = mem(server)
        k = [mem(p) for p in kids]
        return {"server_rss": s_rss, "server_pss": s_pss,
                "kernel_rss": sum(x[0] for x in k), "kernel_pss": sum(x[1] for x in k)}

    def cpu_seconds(self) -> float:
        """CPU seconds used so far by every student's server and kernels together."""
        total = 0.0
        for name in self.names:
            try:
                server = psutil.Process(self.admin.server_pid(name))
                for p in [server, *server.children(recursive=True)]:
                    t = p.cpu_times()
                    total += t.user + t.system
            except (psutil.Error, KeyError):
                continue
        return total

    def close(self) -> None:
        for kernel in self.kernels.values():
            kernel.close()


def tree_cpu_seconds(pid: int | None) -> float:
    """CPU seconds of a process and everything under it (the hub: its proxy, every
    student's server and kernels), children that ended included; 0 without a pid."""
    if pid is None:
        return 0.0
    total = 0.0
    root = psutil.Process(pid)
    for p in [root, *root.children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
        except psutil.Error:
            continue
    return total


def run(hub_url: str, token: str, password: str, lessons: str, names: list[str],
        smoke: bool, hub_pid: int | None = None) -> int:
    n = len(names)
    room = Class(hub_url, token, password, lessons, names)
    room.admin.create_users(room.names)
    print(f"[hub-bench] {n} students, {psutil.cpu_count()} cores, "
          f"{psutil.virtual_memory().total / 2**30:.1f} GiB, load {os.getloadavg()[0]:.1f}",
          flush=True)
    try:
        # 1. the login rush
        hub_cpu_before = tree_cpu_seconds(hub_pid)
        rush_start = time.monotonic()
        arrived = room.all_at_once(room.arrive)
        hub_cpu = tree_cpu_seconds(hub_pid) - hub_cpu_before
        if room.failures:
            return report_failures(room)
        logins = [a["login_s"] for a in arrived.values()]
        all_in = max(a["logged_in_at"] for a in arrived.values()) - rush_start
        all_ready = max(a["ready_at"] for a in arrived.values()) - rush_start
        setup_cpu = room.cpu_seconds()
        tries = [k.handshake_tries for k in room.kernels.values()]
        print(f"login rush: login form -> JupyterLab {summary(logins)}; all {n} in after "
              f"{all_in:.1f} s; all with a masked card and the panel open after {all_ready:.1f} s "
              f"(load {os.getloadavg()[0]:.1f})", flush=True)
        print(f"kernel connections answered at the first kernel_info_request: "
              f"{tries.count(1)} of {n} (the others after {sorted(t for t in tries if t > 1)} "
              "requests)", flush=True)
        if hub_pid is not None:
            print(f"CPU for the rush, hub + proxy + servers + kernels: {hub_cpu:.1f} CPU-s, "
                  f"{hub_cpu / n:.2f} CPU-s per arrival", flush=True)

        # 2. Generate -> card: one alone (baseline), then everyone within 2 s, 3 rounds
        alone = [room.generate(room.names[0]) for _ in range(3)]
        together: list[float] = []
        for _ in range(1 if smoke else 3):
            times = room.all_at_once(room.generate, spread=2.0)
            together += [t for t in times.values() if t is not None]
        if room.failures:
            return report_failures(room)
        ratio = pct(together, 95) / statistics.median(alone)
        print(f"Generate -> masked card, one student alone: {summary(alone)}")
        print(f"Generate -> masked card, all {n} within 2 s: {summary(together)}; "
              f"p95 / alone = {ratio:.1f}x", flush=True)

        # 3. memory after the magic and the panel
        mem_lesson2 = [room.memory(name) for name in room.names]

        # 4. the statistics lesson: one alone, then everyone at once
        cpu_before = room.cpu_seconds()
        if smoke:  # the step runs; its baseline (one student alone first) is left out
            alone_s = float("nan")
        else:
            alone_s, _ = room.lesson10(room.names[0])
        cpu_alone = room.cpu_seconds() - cpu_before
        started = time.monotonic()
        ran = room.all_at_once(room.lesson10)
        wall = time.monotonic() - started
        if room.failures:
            return report_failures(room)
        each = [r[0] for r in ran.values() if r]
        if smoke:
            cpu_alone = (room.cpu_seconds() - cpu_before) / n
        print(f"statistics lesson: alone {alone_s:.1f} s; all {n} at once {wall:.1f} s for all "
              f"({summary(each)} each), 0 failed cells; ratio all/alone {wall / alone_s:.1f}x",
              flush=True)
        mem_lesson10 = [room.memory(name) for name in room.names]
    finally:
        room.close()

    for label, mems in (("after lesson 2", mem_lesson2), ("after lesson 10", mem_lesson10)):
        server = [m["server_rss"] for m in mems]
        kernel = [m["kernel_rss"] for m in mems]
        pss = [m["server_pss"] + m["kernel_pss"] for m in mems]
        print(f"memory per student {label}: server RSS {statistics.median(server):.0f} MiB, "
              f"kernel RSS {statistics.median(kernel):.0f} MiB, server + kernel PSS "
              f"{statistics.median(pss):.0f} MiB (median); all {n}: PSS {sum(pss) / 1024:.2f} GiB")
    per_student_gib = statistics.median(
        m["server_pss"] + m["kernel_pss"] for m in mem_lesson10) / 1024
    start_cpu = setup_cpu / n
    lesson_cpu = cpu_alone
    print(f"CPU per student: arrival (server start, pull, kernel, magic, panel) {start_cpu:.1f} "
          f"CPU-s; the statistics lesson {lesson_cpu:.1f} CPU-s")
    print("capacity (extrapolated from these figures, not measured beyond this run):")
    for gib, cores in ((8, 2), (24, 2), (32, 8), (64, 16)):
        by_memory = int((gib - RESERVE_GIB) / per_student_gib)
        by_rush = int(cores * RUSH_GOAL_S / max(start_cpu, 0.01))
        print(f"  {gib} GiB, {cores} cores: memory for {by_memory} students; "
              f"{by_rush} can arrive within {RUSH_GOAL_S} s; the statistics lesson for all "
              f"of them at once takes ~{min(by_memory, by_rush) * lesson_cpu / cores:.0f} s")
    if smoke:
        print("[hub-bench] smoke run: every step ran; the figures above mean nothing at this size")
    return 0


def report_failures(room: Class) -> int:
    for failure in room.failures:
        print(f"FAILED {failure}", file=sys.stderr)
    print(f"[hub-bench] {len(room.failures)} of {len(room.names)} students failed", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--smoke", action="store_true", help="2 students, one Generate round")
    parser.add_argument("--hub-url", help="a running hub (default: start one of its own)")
    parser.add_argument("--token", help="the hub's driver service token (with --hub-url)")
    parser.add_argument("--password", default=hubctl.DEMO_PASSWORD)
    parser.add_argument("--lessons", help="the lessons' git URL (with --hub-url)")
    parser.add_argument("--names", help="the students' names, comma-separated (default b001, "
                        "b002, ...); students already logged in keep their servers")
    args = parser.parse_args(argv)
    n = 2 if args.smoke else args.students
    if n < 1:
        parser.error("--students must be 1 or more")
    names = args.names.split(",") if args.names else [f"b{i:03d}" for i in range(1, n + 1)]
    if args.hub_url:
        if not (args.token and args.lessons):
            parser.error("--hub-url needs --token and --lessons")
        return run(args.hub_url, args.token, args.password, args.lessons, names, args.smoke)
    reason = hubctl.missing_tools()
    if reason:
        print(f"hub-bench: {reason}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="xsk-hub-bench-") as folder:
        lessons = hubctl.lessons_repository(Path(folder))
        with hubctl.Hub(Path(folder)) as hub:
            pid = hub.process.pid if hub.process else None
            status = run(hub.url, hub.token, hub.password, f"file://{lessons}", names,
                         args.smoke, pid)
        if status:  # the hub's log (every server's log too) outlives the run's folder
            kept = REPO / ".hub" / "hub-bench-failed.log"
            kept.write_bytes(hub.log.read_bytes())
            print(f"[hub-bench] the hub's log is kept in {kept.relative_to(REPO)}",
                  file=sys.stderr)
        return status


if __name__ == "__main__":
    raise SystemExit(main())
