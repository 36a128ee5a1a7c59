"""Students on the class's JupyterHub, driven over HTTP and the kernel websocket.

Used by tests/test_hub.py and bench/hub_bench.py: a student logs in as a browser does, follows
the nbgitpuller link, starts a kernel, runs cells, and clicks the key panel's Generate through
the kernel's widget messages (what JupyterLab sends when the button is clicked). Needs
requests and websocket-client (both in the kit's dev environment).

The kernel messages are handled here (about 60 lines) rather than through a kernel-client
package because nothing else is needed: JSON over one websocket, as JupyterLab speaks it.
"""

from __future__ import annotations

import json
import queue
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from html import unescape
from typing import Any
from urllib.parse import unquote

import requests
import websocket

#: Seconds an HTTP call or a cell may take before the driver gives up (a guard, not a target).
TIMEOUT = 240
#: Lesson 2's magic cell, as the lesson has it.
LESSON2_MAGIC = "%xs_secret_key --bits 512"
#: The panel as lesson 2 opens it, kept in a variable so its Generate can be clicked.
PANEL_CODE = "import xsk_nb\npanel = xsk_nb.panel(512)\npanel"
MASKED = '<span class="xsk-masked-k">'
REVEALED = '<span class="xsk-revealed-k">'


def masked_card(html: str, text: str = "") -> bool:
    """The kit's report card with k masked (the card's CSS names both classes: match spans)."""
    return MASKED in html and REVEALED not in html and (not text or "\u2039hidden:" in text)


class Admin:
    """The hub's REST API with the driver service's token."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {token}"

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", TIMEOUT)
        return self.session.request(method, f"{self.url}/hub/api{path}", **kwargs)

    def create_users(self, names: list[str]) -> None:
        answer = self.call("POST", "/users", json={"usernames": names})
        if answer.status_code not in (201, 409):
            raise RuntimeError(f"creating users: {answer.status_code} {answer.text[:200]}")

    def wait_ready(self, name: str, timeout: float = TIMEOUT) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            user = self.call("GET", f"/users/{name}").json()
            server = user.get("servers", {}).get("")
            if server and server.get("ready"):
                return dict(server)
            if server is None and not user.get("pending"):
                raise RuntimeError(f"{name}'s server is neither running nor starting")
            time.sleep(0.25)
        raise TimeoutError(f"{name}'s server was not ready after {timeout} s")

    def server_pid(self, name: str) -> int:
        return int(self.call("GET", f"/users/{name}").json()["servers"][""]["state"]["pid"])

    def user_token(self, name: str) -> str:
        answer = self.call("POST", f"/users/{name}/tokens", json={"note": "class driver",
                                                                   "expires_in": 3600})
        answer.raise_for_status()
        return str(answer.json()["token"])


@dataclass
class Result:
    """One cell's run: its status, outputs, user expressions and widget messages."""

    status: str
    outputs: list[dict[str, Any]]
    expressions: dict[str, Any]
    comm_opens: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0


class KernelTimeout(TimeoutError):
    """A kernel message awaited too long; the message says which and what did arrive."""


class Kernel:
    """A kernel's websocket. A reader thread keeps receiving, so the server's pings are
    answered while the caller does something else (unanswered ~90 s, the server closes it)."""

    def __init__(self, hub_url: str, name: str, token: str, kernel_id: str) -> None:
        self.session = uuid.uuid4().hex
        self.kernel_id = kernel_id
        self.handshake_tries = 0
        url = (hub_url.replace("http", "ws", 1)
               + f"/user/{name}/api/kernels/{kernel_id}/channels?session_id={self.session}")
        # The token goes in a header: on websockets JupyterHub ignores ?token= unless the
        # client sends Sec-Fetch-Mode: websocket, which only browsers do.
        self.socket = websocket.create_connection(url, header=[f"Authorization: token {token}"],
                                                  timeout=TIMEOUT)
        self.socket.settimeout(None)
        self.inbox: queue.Queue[Any] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self._handshake()

    def _handshake(self, timeout: float = TIMEOUT) -> None:
        """Ask kernel_info first and send nothing else until it is answered, as JupyterLab
        does on every new kernel connection, asking again every 2 s: ipykernel 7 has had a bug
        where a request reaching the shell socket at the wrong moment sat unread until a later
        message arrived (ipython/ipykernel#1554). (The bench's queue.Empty itself was a kernel
        that died at start: docs/launching-the-class.md.)"""
        started = time.monotonic()
        asked: set[str] = set()
        while time.monotonic() < started + timeout:
            asked.add(self._send("kernel_info_request", {}))
            resend = time.monotonic() + 2
            while time.monotonic() < resend:
                try:
                    message = self.inbox.get(timeout=max(0.05, resend - time.monotonic()))
                except queue.Empty:
                    break
                if isinstance(message, Exception):
                    raise message
                if (message.get("msg_type") == "kernel_info_reply"
                        and message.get("parent_header", {}).get("msg_id") in asked):
                    self.handshake_tries = len(asked)
                    return
        raise KernelTimeout(f"waited {timeout:.0f} s for a kernel_info_reply on kernel "
                            f"{self.kernel_id}'s new websocket ({len(asked)} requests sent) "
                            "and got none")

    def _read(self) -> None:
        try:
            while data := self.socket.recv():
                self.inbox.put(json.loads(data))
        except Exception as error:  # closed: the waiting call reports it
            self.inbox.put(error)
            return
        self.inbox.put(ConnectionError("the kernel's websocket closed"))

    def _send(self, msg_type: str, content: dict[str, Any]) -> str:
        msg_id = uuid.uuid4().hex
        self.socket.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "session": self.session,
                       "username": "student", "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": content,
        }))
        return msg_id

    def _collect(self, msg_id: str, msg_type: str, timeout: float,
                 until: Any = None) -> tuple[Result, list]:
        """Messages answering ``msg_id`` until its reply and idle came (or ``until(msg)``)."""
        started = time.monotonic()
        result = Result("", [], {})
        updates: list[dict[str, Any]] = []
        replied = idle = busy = False
        seen = 0
        while not (replied and idle):
            try:
                message = self.inbox.get(timeout=max(0.1, started + timeout - time.monotonic()))
            except queue.Empty:
                raise KernelTimeout(self._missing(msg_type, timeout, busy, replied, idle, seen,
                                                  until is not None)) from None
            if isinstance(message, Exception):
                raise message
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            seen += 1
            kind, content = message["msg_type"], message["content"]
            if kind in ("display_data", "execute_result", "stream", "error"):
                result.outputs.append(content)
            elif kind == "comm_open":
                result.comm_opens.append(content)
            elif kind == "comm_msg":
                updates.append(content)
                if until is not None and until(content):
                    result.seconds = time.monotonic() - started
                    replied = idle = True
            elif kind == "execute_reply":
                result.status = content["status"]
                result.expressions = content.get("user_expressions", {})
                replied = True
            elif kind == "status" and content["execution_state"] == "busy":
                busy = True
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True
                replied = replied or until is not None  # a comm_msg gets no reply
        result.seconds = result.seconds or time.monotonic() - started
        return result, updates

    def _missing(self, msg_type: str, timeout: float, busy: bool, replied: bool, idle: bool,
                 seen: int, click: bool) -> str:
        """One sentence: what the wait for a ``msg_type``'s answer had and had not received."""
        awaited = "the widget update or the idle status" if click else (
            "the execute_reply and the idle status")
        if not seen:
            had = "no message at all answering it (the kernel never started on it: not even busy)"
        else:
            parts = [("busy", busy), ("execute_reply", replied), ("idle", idle)]
            had = (f"{seen} message(s) answering it, with "
                   + ", ".join(f"{'a' if ok else 'no'} {name}" for name, ok in parts))
        return (f"waited {timeout:.0f} s for {awaited} answering the {msg_type} sent on kernel "
                f"{self.kernel_id}'s websocket and got {had}")

    def execute(self, code: str, expressions: dict[str, str] | None = None,
                timeout: float = TIMEOUT) -> Result:
        msg_id = self._send("execute_request", {
            "code": code, "silent": False, "store_history": True,
            "user_expressions": expressions or {}, "allow_stdin": False, "stop_on_error": True})
        return self._collect(msg_id, "execute_request", timeout)[0]

    def click(self, comm_id: str, until: Any, timeout: float = TIMEOUT) -> tuple[float, list]:
        """Click a button widget as JupyterLab does; seconds until ``until(update)`` is true."""
        msg_id = self._send("comm_msg", {
            "comm_id": comm_id, "data": {"method": "custom", "content": {"event": "click"}}})
        result, updates = self._collect(msg_id, "comm_msg (a click)", timeout, until)
        return result.seconds, updates

    def close(self) -> None:
        self.socket.close()


def expression_text(result: Result, name: str) -> str:
    """A user expression's value as Python's repr gave it, unquoted (a string's text)."""
    value = result.expressions[name]
    if value.get("status") != "ok":
        raise RuntimeError(f"{name}: {value.get('ename')}: {value.get('evalue')}")
    text = str(value["data"]["text/plain"])
    return text[1:-1] if text[:1] in "'\"" else text


class Student:
    """One student: a browser-like cookie session, then a token for the kernel API."""

    def __init__(self, hub_url: str, admin: Admin, name: str, password: str) -> None:
        self.hub_url, self.admin, self.name, self.password = hub_url, admin, name, password
        self.browser = requests.Session()
        self.token = ""

    def log_in(self) -> float:
        """The login form (with its _xsrf), the spawn, the OAuth hop into /user/NAME/lab.
        Returns the seconds from submitting the form to JupyterLab answering."""
        self.browser.get(f"{self.hub_url}/hub/login", timeout=TIMEOUT).raise_for_status()
        xsrf = next(c.value for c in self.browser.cookies if c.name == "_xsrf")
        started = time.monotonic()
        answer = self.browser.post(f"{self.hub_url}/hub/login", timeout=TIMEOUT, data={
            "username": self.name, "password": self.password, "_xsrf": xsrf})
        if answer.status_code != 200 or "/hub/login" in answer.url:
            raise RuntimeError(f"{self.name} could not log in: {answer.status_code}")
        self.admin.wait_ready(self.name)
        self.browser.get(f"{self.hub_url}/user/{self.name}/lab", timeout=TIMEOUT).raise_for_status()
        self.token = self.admin.user_token(self.name)
        return time.monotonic() - started

    def follow_nbgitpuller(self, link_path: str) -> str:
        """Follow the link as a browser does: its page, then the page's own call (Server-Sent
        Events) that clones or pulls; returns the path the page then opens."""
        page = self.browser.get(f"{self.hub_url}{link_path}", timeout=TIMEOUT)
        page.raise_for_status()
        attributes = re.findall(r'data-([a-z-]+)="([^"]*)"', page.text)
        data = {k: unquote(unescape(v)) for k, v in attributes}
        params = {"_xsrf": data["xsrf"], "repo": data["repo"], "targetpath": data["targetpath"]}
        params.update({k: data[k] for k in ("branch", "depth") if data.get(k)})
        phase = ""
        with self.browser.get(f"{self.hub_url}/user/{self.name}/git-pull/api", params=params,
                              stream=True, timeout=TIMEOUT) as events:
            events.raise_for_status()
            for line in events.iter_lines(decode_unicode=True):
                if line and line.startswith("data: "):
                    event = json.loads(line[len("data: "):])
                    phase = event.get("phase", "")
                    if phase in ("finished", "error"):
                        if phase == "error":
                            raise RuntimeError(f"nbgitpuller: {event.get('message', '')[:300]}")
                        break
        if phase != "finished":
            raise RuntimeError(f"nbgitpuller stopped at phase {phase!r}")
        self.browser.get(f"{self.hub_url}/user/{self.name}/{data['path']}",
                         timeout=TIMEOUT).raise_for_status()
        return data["path"]

    def api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", TIMEOUT)
        return requests.request(method, f"{self.hub_url}/user/{self.name}/api{path}",
                                headers={"Authorization": f"token {self.token}"}, **kwargs)

    def notebook_cells(self, path: str) -> list[str]:
        """The code cells of a notebook in the student's folder, read through the server."""
        answer = self.api("GET", f"/contents/{path}")
        answer.raise_for_status()
        cells = answer.json()["content"]["cells"]
        return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                for c in cells if c["cell_type"] == "code"]

    def start_kernel(self) -> Kernel:
        answer = self.api("POST", "/kernels", json={"name": "python3"})
        answer.raise_for_status()
        return Kernel(self.hub_url, self.name, self.token, answer.json()["id"])


def generate_button(result: Result) -> str:
    """The comm id of the panel's Generate button, from the widgets the cell opened."""
    for opened in result.comm_opens:
        state = opened.get("data", {}).get("state", {})
        if state.get("_model_name") == "ButtonModel" and state.get("description") == "Generate":
            return str(opened["comm_id"])
    raise RuntimeError("the panel opened no Generate button")


def card_update(update: dict[str, Any]) -> bool:
    """A widget update that puts a masked report card on screen (the panel's card view)."""
    state = update.get("data", {}).get("state", {})
    return isinstance(state.get("value"), str) and masked_card(state["value"])
