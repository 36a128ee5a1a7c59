"""lite/build.py's own steps that need no download: the site's small favicon and panel.html."""

from __future__ import annotations

import importlib.util
import struct
from pathlib import Path
from types import ModuleType

import pytest

BUILD = Path(__file__).resolve().parents[1] / "lite" / "build.py"


def load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lite_build_under_test", BUILD)
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    return build


def ico(sizes: list[int]) -> bytes:
    """An ICO file with one image of each size (its bytes: the size repeated, as a marker)."""
    images = [bytes([size % 256]) * (size + 7) for size in sizes]
    offset = 6 + 16 * len(sizes)
    out = struct.pack("<HHH", 0, 1, len(sizes))
    for size, image in zip(sizes, images, strict=True):
        out += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(image), offset)
        offset += len(image)
    return out + b"".join(images)


def images_of(data: bytes) -> dict[int, bytes]:
    _, _, count = struct.unpack_from("<HHH", data)
    found = {}
    for n in range(count):
        width, _, _, _, _, _, size, start = struct.unpack_from("<BBBBHHII", data, 6 + 16 * n)
        found[width or 256] = data[start : start + size]
    return found


def test_the_favicon_keeps_only_the_small_images_byte_for_byte(tmp_path: Path) -> None:
    """JupyterLite's lab/favicon.ico (ten images up to 256 px, 319 kB) is fetched by every
    first visit; the site keeps its 16, 32 and 48 px images, unchanged."""
    build = load_build()
    (tmp_path / "lab").mkdir()
    sizes = [256, 192, 128, 96, 64, 48, 40, 32, 24, 16]
    original = ico(sizes)
    (tmp_path / "lab" / "favicon.ico").write_bytes(original)
    build.small_favicon(tmp_path)
    kept = images_of((tmp_path / "lab" / "favicon.ico").read_bytes())
    assert sorted(kept) == sorted(build.FAVICON_SIZES) == [16, 32, 48]
    before = images_of(original)
    assert all(kept[size] == before[size] for size in kept)


def test_a_file_that_is_not_an_icon_is_refused_in_one_sentence(tmp_path: Path) -> None:
    build = load_build()
    (tmp_path / "lab").mkdir()
    (tmp_path / "lab" / "favicon.ico").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 20)
    with pytest.raises(SystemExit, match="is not an ICO file"):
        build.small_favicon(tmp_path)


def test_the_app_page_gets_the_clipboard_function_of_its_one_home(tmp_path: Path) -> None:
    """panel.html runs panel_session.WRITE_CLIPBOARD_JS, written in from the kit's source: the
    widget's Copy and the page's Copy are one function."""
    from xsk_nb.panel_session import WRITE_CLIPBOARD_JS

    build = load_build()
    assert build.clipboard_js() == WRITE_CLIPBOARD_JS
    page = build.panel_page(tmp_path).read_text(encoding="utf-8")
    assert f"const writeClipboard = {WRITE_CLIPBOARD_JS};" in page
    assert page.count("@@WRITE_CLIPBOARD@@") == 1  # the comment naming it, not the script


def test_a_page_template_without_its_placeholder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = load_build()
    (tmp_path / "lite").mkdir()
    (tmp_path / "lite" / build.PANEL_PAGE).write_text("<h1>no script</h1>", encoding="utf-8")
    monkeypatch.setattr(build, "LITE", tmp_path / "lite")
    with pytest.raises(SystemExit, match="must hold @@WRITE_CLIPBOARD@@ twice"):
        build.panel_page(tmp_path)
