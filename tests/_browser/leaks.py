"""The one leak helper: does a text, an object or a browser's storage hold a piece of a key?

A piece is 8 characters of a key's ``k`` (48 random bits): a chance match among N characters
has probability about N * len(k) / 2**48, under 1e-6 for the texts the suites scan.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Frame, Page

PIECE = 8


def key_pieces_in(text: str, k: str, piece: int = PIECE) -> list[str]:
    """Every ``piece``-character substring of ``k`` that occurs in ``text``, in order."""
    return [k[i : i + piece] for i in range(len(k) - piece + 1) if k[i : i + piece] in text]


def key_fragments_in(text: str, k: str, size: int = PIECE) -> list[str]:
    """The distinct pieces of ``k`` in ``text``, sorted (the browser suites' form)."""
    return sorted(set(key_pieces_in(text, k, size)))


def assert_no_key_material(where: Any, k: str, name: str = "output") -> None:
    """Fail if ``where`` (text, or anything JSON-able) holds an 8+ character piece of ``k``."""
    text = where if isinstance(where, str) else json.dumps(where, default=repr)
    found = key_pieces_in(text, k)
    assert not found, (
        f"{name}: {len(found)} pieces of the key leaked, first at {text.find(found[0])}"
    )


# A run of base64url characters at least as long as half the shortest k (86 chars): any
# fragment long enough to matter. Masked output must hold none belonging to the key.
LONG_B64URL = re.compile(r"[A-Za-z0-9_-]{43,}")


def long_b64url_runs(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """Runs of 43+ base64url characters in ``text``, minus those inside an ``allowed`` string."""
    return [run for run in LONG_B64URL.findall(text) if not any(run in ok for ok in allowed)]


def decode_k(k: str) -> bytes:
    """base64url without padding (RFC 7515 §2) to bytes; raises on anything else."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", k):
        raise ValueError(f"not unpadded base64url ({len(k)} characters)")  # no key text shown
    return base64.urlsafe_b64decode(k + "=" * (-len(k) % 4))


# Every database and object store of the page's origin, every key and value, as JSON (binary
# values as byte lists), then localStorage and sessionStorage.
_STORAGE_JS = """
async () => {
  const out = [];
  const asJson = (value) => JSON.stringify(value, (key, v) =>
    (v instanceof ArrayBuffer) ? Array.from(new Uint8Array(v))
    : (ArrayBuffer.isView(v)) ? Array.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength))
    : (v instanceof Blob) ? `blob of ${v.size} bytes` : v);
  const request = (r) => new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  for (const info of await indexedDB.databases()) {
    const db = await request(indexedDB.open(info.name));
    for (const store of Array.from(db.objectStoreNames)) {
      const tx = db.transaction(store, "readonly");
      const keys = await request(tx.objectStore(store).getAllKeys());
      const values = await request(tx.objectStore(store).getAll());
      out.push(asJson({database: info.name, store, keys, values}));
    }
    db.close();
  }
  for (const [name, area] of [["localStorage", localStorage], ["sessionStorage", sessionStorage]]) {
    for (let i = 0; i < area.length; i++) {
      out.push(asJson({[name]: area.key(i), value: area.getItem(area.key(i))}));
    }
  }
  return out.join("\\n");
}
"""

_BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")


def browser_storage_text(page: Page | Frame) -> str:
    """What the page's origin keeps in the browser (IndexedDB, localStorage, sessionStorage), as
    text, with every base64 run also decoded (JupyterLite may keep a file's bytes as base64)."""
    text = str(page.evaluate(_STORAGE_JS))
    decoded = []
    for run in _BASE64_RUN.findall(text):
        try:
            decoded.append(base64.b64decode(run + "=" * (-len(run) % 4)).decode("utf-8", "replace"))
        except (binascii.Error, ValueError):
            continue
    return "\n".join([text, *decoded])


def assert_browser_storage_holds_no_key(page: Page | Frame, keys: list[str], name: str) -> None:
    """Fail if the browser's storage for the page's origin holds a piece of any of ``keys``."""
    stored = browser_storage_text(page)
    for k in keys:
        found = key_fragments_in(stored, k)
        assert not found, f"{name}: {len(found)} piece(s) of a key in the browser's storage"
