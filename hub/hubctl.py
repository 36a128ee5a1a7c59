"""Start and stop the class's JupyterHub on this machine (``make hub``): a demo and a recipe.

    python hub/hubctl.py demo        # the hub on http://127.0.0.1:18000 until Ctrl-C
    python hub/hubctl.py demo --port 18100 --dir /tmp/class-hub

``make hub`` builds what it needs first: .hub/venv (hub/requirements.txt and the kit with its
[lab] extra) and configurable-http-proxy from npm in .hub/node. The demo makes a git
repository of the lessons (notebooks/) in its folder and prints the nbgitpuller link that
hands them to each student. Tests and the benchmark use :class:`Hub` directly.

Written here rather than taken from a package: JupyterHub has no library call that starts a
hub as a child process and waits until it answers; this is that, plus the lessons repository.
"""

from __future__ import annotations

import argparse
import json
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
HUB_TOOLS = REPO / ".hub"
VENV = HUB_TOOLS / "venv"
PROXY = HUB_TOOLS / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
CONFIG = Path(__file__).resolve().parent / "jupyterhub_config.py"
#: The class's shared password in the demo (SharedPasswordAuthenticator wants 8+ characters).
DEMO_PASSWORD = "class-password"
#: Seconds a hub may take to answer its API after start (about 1 s when the machine is idle).
START_TIMEOUT = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def missing_tools() -> str:
    """What is missing to start a hub here, or "" (``make hub-tools`` builds both)."""
    if not (VENV / "bin" / "jupyterhub").is_file():
        return f"no JupyterHub in {VENV.relative_to(REPO)} (run `make hub-tools`)"
    if not PROXY.is_file():
        return (f"no configurable-http-proxy in {PROXY.parent.relative_to(REPO)} "
                "(run `make hub-tools`)")
    return ""


def lessons_repository(folder: Path, notebooks: Path = REPO / "notebooks") -> Path:
    """A bare git repository ``folder/lessons.git`` holding ``notebooks/`` (branch main).

    What nbgitpuller clones for each student; a real class points at the course's GitHub
    repository instead (binder/launch_links.py --hub prints that link).
    """
    folder = folder.resolve()
    source = folder / "lessons-src"
    bare = folder / "lessons.git"
    (source / "notebooks").mkdir(parents=True, exist_ok=True)
    for notebook in sorted(notebooks.glob("*.ipynb")):
        (source / "notebooks" / notebook.name).write_bytes(notebook.read_bytes())
    git = ["git", "-c", "user.name=xsk-nb", "-c", "user.email=xsk-nb@example.invalid"]
    if not (source / ".git").is_dir():
        subprocess.run([*git, "init", "-q", "-b", "main"], cwd=source, check=True)
    subprocess.run([*git, "add", "-A"], cwd=source, check=True)
    staged = subprocess.run(["git", "diff", "--cached", "--quiet"], cwd=source, check=False)
    has_commit = subprocess.run(["git", "rev-parse", "-q", "--verify", "HEAD"], cwd=source,
                                capture_output=True, check=False).returncode == 0
    if staged.returncode or not has_commit:  # something new: commit it
        subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "lessons"], cwd=source,
                       check=True)
    if not bare.is_dir():
        subprocess.run(["git", "clone", "-q", "--bare", str(source), str(bare)], check=True)
    else:
        subprocess.run(["git", "push", "-q", str(bare), "main"], cwd=source, check=True)
    return bare


def nbgitpuller_path(repository: str, notebook: str = "notebooks/02_your_first_key.ipynb") -> str:
    """The link's path on this hub (after the host): nbgitpuller clones into a folder named
    after the repository URL's last segment, then opens ``notebook`` inside it."""
    folder = repository.rstrip("/").split("/")[-1]
    query = urlencode({"repo": repository, "urlpath": f"lab/tree/{folder}/{notebook}"})
    return f"/hub/user-redirect/git-pull?{query}"


class Hub:
    """A JupyterHub (with its proxy) on 127.0.0.1, its state and students' homes in ``folder``."""

    def __init__(self, folder: Path, port: int | None = None,
                 password: str = DEMO_PASSWORD) -> None:
        self.folder = folder.resolve()
        self.port = port or free_port()
        self.password = password
        self.token = secrets.token_hex(32)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.folder / "hub.log"

    @property
    def homes(self) -> Path:
        return self.folder / "homes"

    def start(self) -> None:
        reason = missing_tools()
        if reason:
            raise RuntimeError(reason)
        self.folder.mkdir(parents=True, exist_ok=True)
        env = {
            "PATH": f"{VENV}/bin:{PROXY.parent}:/usr/bin:/bin",
            "HOME": str(self.folder),
            "XSK_HUB_DIR": str(self.folder),
            "XSK_HUB_VENV": str(VENV),
            "XSK_HUB_PROXY": str(PROXY),
            "XSK_HUB_PORT": str(self.port),
            "XSK_HUB_PROXY_API_PORT": str(free_port()),
            "XSK_HUB_API_PORT": str(free_port()),
            "XSK_HUB_PASSWORD": self.password,
            "XSK_HUB_TOKEN": self.token,
        }
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(VENV / "bin" / "jupyterhub"), "-f", str(CONFIG)],
                cwd=self.folder, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterHub exited ({self.process.returncode}); see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.url}/hub/api", timeout=2) as answer:
                    json.load(answer)
                    return
            except (OSError, urllib.error.URLError, ValueError):
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"JupyterHub did not answer within {START_TIMEOUT} s; see {self.log}")

    def stop(self) -> None:
        """SIGTERM to the hub: it stops every student's server and the proxy (each runs in a
        session of its own, so a signal to the hub's process group would miss them)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        # the servers' short runtime folders (kernel sockets: jupyterhub_config.py RUNTIME)
        shutil.rmtree(f"/tmp/xsk-hub-{self.port}", ignore_errors=True)

    def __enter__(self) -> Hub:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def demo(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hubctl.py demo", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=18000, help="public port (default 18000)")
    parser.add_argument("--dir", type=Path, default=HUB_TOOLS / "demo",
                        help="the hub's folder: state, homes/, hub.log (default .hub/demo)")
    args = parser.parse_args(argv)
    reason = missing_tools()
    if reason:
        print(f"hub: {reason}", file=sys.stderr)
        return 2
    hub = Hub(args.dir, args.port)
    bare = lessons_repository(hub.folder)
    try:
        hub.start()
    except RuntimeError as error:
        print(f"hub: {error}", file=sys.stderr)
        return 1
    link = hub.url + nbgitpuller_path(f"file://{bare}")
    print(f"JupyterHub (demo) on {hub.url}: log in with any name and the password "
          f"{hub.password!r}.\nThe lessons for each student (an nbgitpuller link):\n  {link}\n"
          f"Homes: {hub.homes}/<name>   log: {hub.log}   Ctrl-C stops the hub and every server.",
          flush=True)
    stop = False

    def interrupted(*_args: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, interrupted)
    try:
        while not stop and hub.process is not None and hub.process.poll() is None:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    hub.stop()
    print("hub stopped")
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] != "demo":
        print("usage: python hub/hubctl.py demo [--port PORT] [--dir DIR]", file=sys.stderr)
        raise SystemExit(2)
    raise SystemExit(demo(sys.argv[2:]))
