"""xsk_nb.optional: a missing extra is one sentence naming what to install (pandas' pattern)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from xsk_nb.optional import EXTRAS, MissingExtra, import_optional, optional_dependencies


def test_a_missing_optional_module_names_its_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "lark", None)  # as if not installed
    with pytest.raises(MissingExtra) as error:
        import_optional("lark", "%%xanoscript")
    assert str(error.value) == "%%xanoscript needs lark: pip install 'xsk-nb[notebook]'"
    assert isinstance(error.value, ImportError) and error.value.name == "lark"


def test_the_pip_name_is_used_where_it_differs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "jwt", None)
    with pytest.raises(MissingExtra, match=r"^JWS needs pyjwt: pip install 'xsk-nb\[notebook\]'$"):
        import_optional("jwt", "JWS")


def test_a_block_importing_a_kit_module_that_needs_an_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delitem(sys.modules, "xsk_nb.key_panel", raising=False)
    monkeypatch.setitem(sys.modules, "anywidget", None)
    with pytest.raises(MissingExtra, match="the panel needs anywidget"), optional_dependencies(
        "the panel"
    ):
        import xsk_nb.key_panel  # noqa: F401


def test_a_missing_module_that_is_not_optional_is_not_disguised() -> None:
    with pytest.raises(ModuleNotFoundError) as error, optional_dependencies("x"):
        import xsk_nb_no_such_module  # type: ignore[import-not-found]  # noqa: F401
    assert not isinstance(error.value, MissingExtra)


def test_every_optional_module_is_in_an_extra_of_pyproject() -> None:
    from pathlib import Path

    import tomllib

    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    extras = project["project"]["optional-dependencies"]
    for module, (package, extra) in EXTRAS.items():
        if module == "traitlets":  # brought by IPython, which the lab extra pins
            continue
        named = " ".join(extras[extra]).lower()
        assert package.lower() in named or ("xsk-nb[stats]" in named and package == "numpy"), module


def test_panel_without_the_lab_extra_is_one_sentence() -> None:
    code = (
        "import sys; sys.modules['anywidget'] = None\n"
        "import xsk_nb\n"
        "try:\n    xsk_nb.panel()\n"
        "except ImportError as error:\n    print(type(error).__name__, error)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    expected = "MissingExtra xsk_nb.panel needs anywidget: pip install 'xsk-nb[notebook]'\n"
    assert done.stdout == expected
