"""Servers on 127.0.0.1 for the browser checks: JupyterLab, Voilà and the built site.

Every process starts in its own process group and is stopped by that group's id (never by
name), and every per-user directory points at a temporary folder, so a run leaves nothing in
``$HOME``.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
SITE = REPO / "site"
#: What a first visit to the site may download, in bytes (issues 11, 20: "First visit stays at
#: or under 30 MB"); tests/lite checks it and bench/lite_bench.py prints it beside the figure.
FIRST_VISIT_BUDGET = 30_000_000
BIN = Path(sys.executable).parent  # the venv's bin: jupyter, voila

#: The kit's Voila template (share/jupyter/voila/templates/xsk-nb, installed by the wheel): Voila's
#: "lab" without its Font Awesome <link>s to cdn.jsdelivr.net. Every Voila the kit launches uses it.
VOILA_TEMPLATE = "xsk-nb"

# Server start-up timeouts, generous for a busy 2-core machine.
START_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 10.0


def free_port() -> int:
    """A port free on 127.0.0.1 right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def isolated_env(home: Path) -> dict[str, str]:
    """The process environment with every per-user Jupyter/IPython directory under ``home``.

    Also writes the test-only JupyterLab configuration there:

    - ``labconfig/page_config.json`` disables the announcements ("news") plugin (FACTS §8);
    - ``lab-settings/overrides.json`` sets the notebook's ``windowingMode`` to ``none``, so every
      cell is rendered, not only the visible ones (FACTS §6; 4.6's default is
      ``contentVisibility``). JupyterLab 4.6 reads
      ``overrides.json`` only from ``LabApp.app_settings_dir`` (default
      ``<sys.prefix>/share/jupyter/lab/settings``, inside the venv, so not test-only); the
      lab server is therefore started with ``--LabApp.app_settings_dir`` pointing here.
      ``check_windowing_off`` verifies in the page that it took effect.
    """
    dirs = {
        "IPYTHONDIR": home / "ipython",
        "JUPYTER_CONFIG_DIR": home / "jupyter-config",
        "JUPYTER_DATA_DIR": home / "jupyter-data",
        "JUPYTER_RUNTIME_DIR": home / "jupyter-runtime",
        "MPLCONFIGDIR": home / "matplotlib",
    }
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    labconfig = dirs["JUPYTER_CONFIG_DIR"] / "labconfig"
    labconfig.mkdir(exist_ok=True)
    page_config = {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}
    (labconfig / "page_config.json").write_text(json.dumps(page_config), encoding="utf-8")
    settings = lab_settings_dir(home)
    settings.mkdir(exist_ok=True)
    overrides = {
        "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
        # Save widget state into the notebook, so a test can check that it holds no key.
        "@jupyter-widgets/jupyterlab-manager:plugin": {"saveState": True},
        "@jupyterlab/apputils-extension:notification": {
            "checkForUpdates": False,
            "fetchNews": "false",
        },
    }
    (settings / "overrides.json").write_text(json.dumps(overrides), encoding="utf-8")

    env = dict(os.environ)
    env.update({name: str(path) for name, path in dirs.items()})
    env["HOME"] = str(home)  # anything else that writes under ~ writes here
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    return env


def lab_settings_dir(home: Path) -> Path:
    return home / "lab-settings"


def copy_notebooks(dest: Path, source: Path = NOTEBOOKS) -> Path:
    """A temporary copy of ``notebooks/``: JupyterLab autosaves, and tests add cells."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return dest



@dataclass
class Server:
    """A Jupyter server process in its own process group."""

    name: str
    proc: subprocess.Popen[bytes]
    port: int
    token: str
    log_path: Path
    _log: Any = field(repr=False, default=None)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        stop_process_group(self.proc)
        if self._log is not None:
            self._log.close()
            self._log = None


def stop_process_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group led by ``proc`` (its own pid), then SIGKILL what remains.

    Jupyter servers shut their kernels down on SIGTERM; the group kill also reaps a kernel or a
    Chromium renderer that outlives its parent.
    """
    pgid = proc.pid  # started with start_new_session=True: the group id is the pid
    for sig, wait_s in ((signal.SIGTERM, STOP_TIMEOUT_S), (signal.SIGKILL, STOP_TIMEOUT_S)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            continue
        # The leader is gone; make sure nothing else is left in its group.
        with suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        break
    if proc.poll() is None:
        proc.wait(timeout=STOP_TIMEOUT_S)


def _spawn(
    cmd: list[str], *, cwd: Path, env: dict[str, str], log_path: Path
) -> tuple[subprocess.Popen[bytes], Any]:
    log = open(log_path, "wb")  # noqa: SIM115 - closed by Server.stop
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return proc, log


def _wait_http_ok(server: Server, path: str, timeout_s: float = START_TIMEOUT_S) -> None:
    """Poll ``path`` until it answers 200, failing early (with the log) if the server died."""
    url = f"{server.base_url}{path}"
    headers = {"Authorization": f"token {server.token}"}
    deadline = time.monotonic() + timeout_s
    last_error = ""
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(
                f"{server.name} exited with {server.proc.returncode}:\n{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(
                urllib.request.Request(url, headers=headers), timeout=5
            ) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError) as exc:
            last_error = str(exc)
        time.sleep(0.25)
    raise TimeoutError(f"{server.name} not ready at {url} ({last_error}):\n{server.log_tail()}")


def start_lab(root_dir: Path, home: Path, config: Path | None = None) -> Server:
    """``jupyter lab`` on 127.0.0.1, a free port and a random token, serving ``root_dir``;
    ``config``: a ``jupyter_server_config.py`` to load, as ``make lab`` loads the kit's."""
    env = isolated_env(home)
    port, token = free_port(), secrets.token_hex(16)
    cmd = [
        str(BIN / "jupyter"),
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--port-retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        "--allow-root",
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.app_settings_dir={lab_settings_dir(home)}",
        "--LabApp.news_url=None",
        "--ServerApp.open_browser=False",
        *([f"--config={config}"] if config is not None else []),
    ]
    log_path = home / "jupyter-lab.log"
    proc, log = _spawn(cmd, cwd=root_dir, env=env, log_path=log_path)
    server = Server("jupyter lab", proc, port, token, log_path, log)
    try:
        _wait_http_ok(server, "/api/status")
    except BaseException:
        server.stop()
        raise
    return server


def start_voila(notebook: Path, home: Path) -> Server:
    """``voila NB`` on 127.0.0.1, a free port and a random token; cwd is the notebook's folder."""
    env = isolated_env(home)
    port, token = free_port(), secrets.token_hex(16)
    cmd = [
        str(BIN / "voila"),
        str(notebook),
        "--no-browser",
        f"--template={VOILA_TEMPLATE}",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--Voila.port_retries=0",
        f"--token={token}",
        "--VoilaConfiguration.show_tracebacks=True",  # a failing cell says why in the page
    ]
    log_path = home / "voila.log"
    proc, log = _spawn(cmd, cwd=notebook.parent, env=env, log_path=log_path)
    server = Server("voila", proc, port, token, log_path, log)
    try:
        # Voilà has no /api/status (FACTS §8); its static files answer once it listens,
        # without starting a kernel the way a GET of "/" would.
        _wait_port(server)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_port(server: Server, timeout_s: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(
                f"{server.name} exited with {server.proc.returncode}:\n{server.log_tail()}"
            )
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(1)
            if sock.connect_ex(("127.0.0.1", server.port)) == 0:
                return
        time.sleep(0.25)
    raise TimeoutError(f"{server.name} not listening on {server.port}:\n{server.log_tail()}")


@contextmanager
def site_server(site: Path = SITE) -> Iterator[Any]:
    """The built browser-only site served on 127.0.0.1 (lite/serve.py, as ``make lite-serve``)."""
    sys.path.insert(0, str(REPO / "lite"))
    import serve

    with serve.serving(site) as server:
        yield server
