"""Masking: how a secret is shown when it is not revealed, and every wording about it.

A masked key shows no key character, not even a prefix: only its length and a short label
that tells two keys apart. The label is an HMAC of the key under a salt drawn fresh for each
process, so it is stable within a session but cannot be checked against a guessed key later
(unlike a plain hash or an RFC 7638 thumbprint, which RFC 7638 §7 warns about).

This module is the one home of every placeholder and every reveal wording, for the report, the
panel, the magic, the CLI and the XanoScript runner. A wording depends on where it shows:

- ``NOTEBOOK``: JupyterLab or Notebook; outputs and widget state are saved in the .ipynb, and
  the user can call ``.reveal()`` or ``%xs_secret_key --reveal``;
- ``APP``: an app view (Voilà, Voici): the user sees only the page, cannot call Python, and any
  file written lands on the server, not on the user's computer;
- ``TERMINAL``: the ``xsk-nb`` command line: nothing is "saved with a notebook"; the terminal's
  scrollback and any redirected file keep what is printed.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sys

from xsk_nb.contract import APP, NOTEBOOK, TERMINAL, VIEWS, validate_view

_SESSION_SALT = secrets.token_bytes(32)
LABEL_HEX_DIGITS = 6

#: Set to "app", "notebook" or "terminal" to override the detection in :func:`current_view`
#: (Voici, JupyterLite's app view, cannot be told apart from JupyterLite's lab from inside).
VIEW_ENVIRONMENT_VARIABLE = "XSK_NB_VIEW"

# --- placeholders (what is shown instead of a secret string) -------------------------------
# Fields: {n} a length, {label} a key's session label, {how} how a value derives from a key.
# XanoScript's redaction (xsk_nb/xanoscript/redaction.py) names: in brackets.
#: A whole key (or a whole secret string). The real-browser tests match this shape.
PLACEHOLDER_SECRET = "‹hidden: {n} chars, key {label}›"
#: A string that is the start of a key [FIRST_CHARS].
PLACEHOLDER_KEY_PREFIX = "‹hidden: first {n} chars of key {label}›"
#: A string found inside a key [INSIDE_CHARS].
PLACEHOLDER_INSIDE_KEY = "‹hidden: {n} chars from inside key {label}›"
#: A value derived from a secret: a slice, a token holding it... [DERIVED_TEXT].
PLACEHOLDER_DERIVED = "‹hidden: {n} chars, {how}›"
#: A string holding part of a key or of a value derived from one [HOLDING_PART].
PLACEHOLDER_PART_OF = "‹hidden: {n} chars holding part of {how}›"
#: A number computed from a secret [DERIVED_NUMBER].
PLACEHOLDER_DERIVED_NUMBER = "‹hidden: a number, {how}›"
#: A run of key material cut out of a message: an error text, a log line [SCRUBBED].
PLACEHOLDER_RUN = "‹hidden›"
#: Values not shown for their size or form, not because they are secret [TOO_DEEP, ...].
NOT_SHOWN_TOO_DEEP = "‹not shown: nested deeper than {depth} levels›"
NOT_SHOWN_TOO_MANY = "‹not shown: more than {items} items›"
NOT_SHOWN_UNSHOWABLE = "‹not shown: this value cannot be shown as JSON›"

# --- reveal warnings (shown above a revealed key) -------------------------------------------
# Where a revealed key is kept (agreement A3, the same wording in the panel, lesson 2 and the
# guide): it is shown in the page and held in the kernel's memory while the kernel runs; an
# ordinary output (.reveal(), --reveal) is always saved with the notebook; JupyterLab writes
# widget state, and so a key shown in the panel, into the .ipynb only when Settings > Save
# Widget State Automatically is on (the saveState setting of @jupyter-widgets/jupyterlab-manager,
# default false in its schema); Voilà and the browser-only site's app page save nothing.
REVEAL_WARNING_NOTEBOOK = (
    "This output shows the full secret key, and this notebook's Python holds it while it runs. "
    "An output is always saved with the notebook (.ipynb) and kept in Out[]: use a throwaway "
    "key, and clear this output before you save or share the notebook."
)
#: The panel's Reveal in JupyterLab: widget state, saved only with Save Widget State on.
REVEAL_WARNING_PANEL = (
    "The panel shows the full secret key, and this notebook's Python holds it while it runs. "
    "JupyterLab saves it into the .ipynb only if Settings > Save Widget State Automatically is "
    "on (it is off by default): untick Reveal before you save or share the notebook."
)
REVEAL_WARNING_APP = (
    "This page shows the full secret key: anyone who can see your screen can read it. The page "
    "saves nothing. Untick Reveal when you are done."
)
REVEAL_WARNING_TERMINAL = (
    "This output shows the full secret key: your terminal's scrollback and any file you "
    "redirected it to keep it."
)
REVEAL_WARNINGS: dict[str, str] = {
    NOTEBOOK: REVEAL_WARNING_NOTEBOOK,
    APP: REVEAL_WARNING_APP,
    TERMINAL: REVEAL_WARNING_TERMINAL,
}
#: What the panel's Reveal says above the key, by view (the panel has no terminal view).
PANEL_REVEAL_WARNINGS: dict[str, str] = {NOTEBOOK: REVEAL_WARNING_PANEL, APP: REVEAL_WARNING_APP}


def revealed_metadata() -> dict[str, dict[str, bool]]:
    """``{"xsk_nb": {"revealed": True}}``: the output metadata of a key revealed on purpose.

    Agreement A2: the scanner and the save guard read it. A fresh copy of
    :data:`xsk_nb.contract.REVEALED_METADATA` (its one home) on each call.
    """
    from copy import deepcopy

    from xsk_nb.contract import REVEALED_METADATA

    return deepcopy(REVEALED_METADATA)


#: The notebook wording under its historical name (the magic's tests and XanoScript use it).
REVEAL_WARNING = REVEAL_WARNING_NOTEBOOK

# --- why the key is hidden, and how to show it on purpose -------------------------------------
MASK_NOTE_NOTEBOOK = (
    "The key is hidden because outputs are saved with the notebook. To show it on purpose: "
    "report.reveal(), %xs_secret_key --reveal, or the panel's Reveal box."
)
MASK_NOTE_APP = (
    "The key is hidden. Tick Reveal to show it, or use Copy to put it on your clipboard "
    "without showing it."
)
#: Outside Jupyter: the command line, and a plain Python session (the teaching review, wave 2:
#: "Run again with --reveal" is command-line wording in a Python session).
MASK_NOTE_TERMINAL = (
    "The key is hidden: reveal it on purpose with xsk-nb --reveal on the command line, or "
    "report.reveal() in Python."
)
#: ``xsk-nb inspect`` shows a key the user already has, and has no --reveal.
MASK_NOTE_INSPECT = "The key is hidden: xsk-nb inspect never prints it."
MASK_NOTES: dict[str, str] = {
    NOTEBOOK: MASK_NOTE_NOTEBOOK,
    APP: MASK_NOTE_APP,
    TERMINAL: MASK_NOTE_TERMINAL,
}

# --- the panel's reveal box -----------------------------------------------------------------
REVEAL_LABELS: dict[str, str] = {
    NOTEBOOK: "Reveal key (saved in the .ipynb only with Save Widget State on)",
    APP: "Reveal key on this page",
}


def current_view() -> str:
    """Where output shows now: ``XSK_NB_VIEW`` if set, else Voilà's kernel (``APP``), else an
    IPython kernel or shell (``NOTEBOOK``), else ``TERMINAL``. Imports nothing.
    """
    forced = os.environ.get(VIEW_ENVIRONMENT_VARIABLE, "").strip().lower()
    if forced in VIEWS:
        return forced
    # Voilà starts its kernels with these variables (voila/handler.py, voila_kernel_manager.py).
    if "VOILA_PREHEAT" in os.environ or "VOILA_KERNEL_ID" in os.environ:
        return APP
    ipython = sys.modules.get("IPython")
    if ipython is not None and getattr(ipython, "get_ipython", lambda: None)() is not None:
        return NOTEBOOK
    return TERMINAL


def check_view(view: object) -> str:
    """``view`` if it is one of :data:`VIEWS`; else one sentence naming them (no echo)."""
    return validate_view(view)  # the views are listed once, in xsk_nb.contract


def key_label(k: str) -> str:
    """A 6-hex-digit label for a secret string: same secret, same label, in this process only."""
    digest = hmac.new(_SESSION_SALT, k.encode("utf-8"), hashlib.sha256).hexdigest()
    return digest[:LABEL_HEX_DIGITS]


def masked(k: str) -> str:
    """The placeholder shown instead of a secret string, e.g. ``‹hidden: 86 chars, key a1b2c3›``."""
    return PLACEHOLDER_SECRET.format(n=len(k), label=key_label(k))
