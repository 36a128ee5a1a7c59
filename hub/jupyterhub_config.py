# JupyterHub for the class, on one machine: a DEMO and a RECIPE, not a production set-up.
#
# Everything listens on 127.0.0.1; students log in with any name and one shared password;
# each student's server is a local process in the student's own folder, run as the hub's own
# user (SimpleLocalProcessSpawner: no isolation between students' processes: fine for a demo
# or a test, not for a real class; docs/launching-the-class.md says what a university uses).
# hub/hubctl.py starts it (`make hub`) and sets these environment variables:
#   XSK_HUB_DIR       the hub's folder (state files, homes/<student>/, hub.log)
#   XSK_HUB_VENV      the venv holding JupyterHub and the single-user stack (.hub/venv)
#   XSK_HUB_PROXY     configurable-http-proxy's executable (npm, .hub/node)
#   XSK_HUB_PORT, XSK_HUB_PROXY_API_PORT, XSK_HUB_API_PORT   three loopback ports
#   XSK_HUB_PASSWORD  the class's shared password (8 characters or more)
#   XSK_HUB_TOKEN     the token of the "driver" service (tests, bench, admin scripts)
import os
import shutil

BASE = os.environ["XSK_HUB_DIR"]
VENV = os.environ["XSK_HUB_VENV"]
c = get_config()  # noqa: F821  (JupyterHub provides it)

# Network: the public side (the proxy), the proxy's API and the hub, all on loopback.
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(os.environ["XSK_HUB_PORT"])
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ["XSK_HUB_API_PORT"])
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ['XSK_HUB_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.command = [os.environ["XSK_HUB_PROXY"]]
c.ConfigurableHTTPProxy.pid_file = f"{BASE}/proxy.pid"
c.Spawner.ip = "127.0.0.1"  # each student's server on a random loopback port

# State files in the hub's folder, not in the working directory.
c.JupyterHub.db_url = f"sqlite:///{BASE}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = f"{BASE}/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = f"{BASE}/jupyterhub.pid"
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every student's server

# Authentication: any name, one shared password (JupyterHub >= 5 admits nobody without an
# allow rule, hence allow_all). A real hub uses the university's login (OAuthenticator, LTI).
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ["XSK_HUB_PASSWORD"]
c.Authenticator.allow_all = True

# Spawner: one local process per student, in <hub dir>/homes/<name>, from the hub's venv (by
# absolute path: the hub passes few environment variables on, and the kit, nbgitpuller and
# the widgets live in that venv).
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = f"{BASE}/homes/{{username}}"
c.Spawner.cmd = [f"{VENV}/bin/jupyterhub-singleuser"]
c.Spawner.default_url = "/lab"
# The servers' PATH: the venv and git (nbgitpuller) only. No node on it: JupyterLab runs
# `node yarn.js config` when it is imported, to learn an npm registry only extension builds
# use (0.45 CPU-s per server start here); with no node found it skips that.
TOOLS = f"{BASE}/server-tools"
os.makedirs(TOOLS, exist_ok=True)
for tool in ("git",):
    found = shutil.which(tool, path="/usr/local/bin:/usr/bin:/bin")
    if found and not os.path.lexists(f"{TOOLS}/{tool}"):
        os.symlink(found, f"{TOOLS}/{tool}")
# Kernels talk to their server over Unix sockets (IPC), not loopback TCP ports: with TCP each
# server picks five free ports per kernel and the kernel binds them a moment later, and with
# 30 servers doing that at once another kernel can take one in between: the kernel dies at
# start (ZMQError: Address already in use; the queue.Empty of docs/launching-the-class.md).
# A Unix socket path is at most 107 bytes, so each server's runtime folder is a short one.
RUNTIME = f"/tmp/xsk-hub-{os.environ['XSK_HUB_PORT']}"
c.Spawner.environment = {
    "NBGITPULLER_APP": "lab",
    "PATH": f"{VENV}/bin:{TOOLS}",
    "JUPYTER_RUNTIME_DIR": lambda spawner: f"{RUNTIME}/{spawner.user.name}",
}
# What each server loads at start, cut to what the class uses (measured in
# docs/launching-the-class.md): no language servers (jupyter-lsp scans for 19 of them and runs
# `npm prefix -g`), no terminals; the news, the update check and the extension manager's
# PyPI look-ups are off (a class needs none, and a hub may have no way out).
c.Spawner.args = [
    '--ServerApp.jpserver_extensions={"jupyter_lsp": False, "jupyter_server_terminals": False}',
    "--ServerApp.terminals_enabled=False",
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--LabApp.extension_manager=readonly",
    "--KernelManager.transport=ipc",
]
if os.geteuid() == 0:  # jupyter-server refuses to run as root without this (containers, CI)
    c.Spawner.args.append("--ServerApp.allow_root=True")
# 30 logins in the same second took 36-47 s per server here (2 cores): above the 30 s default.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180

# A service token for scripts (tests, bench): users, servers, tokens, their servers' API.
c.JupyterHub.services = [{"name": "driver", "api_token": os.environ["XSK_HUB_TOKEN"]}]
c.JupyterHub.load_roles = [
    {
        "name": "driver",
        "services": ["driver"],
        "scopes": ["admin:users", "admin:servers", "tokens", "access:servers",
                   "list:users", "read:users"],
    }
]
