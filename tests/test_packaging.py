"""Packaging a user can trust: the LICENSE matches pyproject, the version has one source."""

from __future__ import annotations

import re
from importlib.metadata import metadata, version
from pathlib import Path

import xsk_nb

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: repo2docker (a dev dependency) brings tomli
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_license_file_is_the_mit_license_pyproject_declares() -> None:
    text = (ROOT / "LICENSE").read_text()
    assert pyproject()["project"]["license"] == "MIT"
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in text
    author = pyproject()["project"]["authors"][0]["name"]
    assert re.search(rf"Copyright \(c\) \d{{4}} {re.escape(author)}", text)


def test_version_is_single_sourced_from_the_package() -> None:
    project = pyproject()
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["hatch"]["version"]["path"] == "xsk_nb/__init__.py"
    # The installed metadata (built by hatchling from that path) agrees with the module.
    assert version("xsk-nb") == xsk_nb.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", xsk_nb.__version__)


def test_installed_metadata_carries_the_license_and_urls() -> None:
    meta = metadata("xsk-nb")
    assert meta["License-Expression"] == "MIT" or meta["License"] == "MIT"
    urls = {value.split(",", 1)[0].strip().lower() for value in meta.get_all("Project-URL") or []}
    assert {"homepage", "source", "issues", "changelog", "binder"} <= urls


def extras() -> dict[str, list[str]]:
    return pyproject()["project"]["optional-dependencies"]


def expanded(extra: str) -> set[str]:
    """The package names an extra brings, the kit's own extras followed."""
    from packaging.requirements import Requirement

    names: set[str] = set()
    for line in extras()[extra]:
        requirement = Requirement(line)
        if requirement.name == "xsk-nb":
            for inner in requirement.extras:
                names |= expanded(inner)
        else:
            names.add(requirement.name.lower())
    return names


SERVERS = {"jupyterlab", "notebook", "voila", "jupyter-server", "nbgrader"}


def test_kernel_side_extras_pin_no_jupyter_server() -> None:
    """As jupysql and watermark do: installing the kernel side into a JupyterLab 5
    environment must not downgrade it. Only [classroom] (and [dev]) bring a server."""
    for extra in ("stats", "notebook", "lab", "xano"):
        assert not expanded(extra) & SERVERS, extra
    assert {"ipython", "ipywidgets", "anywidget", "lark", "pyjwt"} <= expanded("notebook")
    assert {"numpy", "scipy", "matplotlib"} <= expanded("lab")
    assert {"jupyterlab", "voila"} <= expanded("classroom")
    assert expanded("xano") == {"pyyaml"}
    assert "nbgrader" not in expanded("classroom")  # make lab installs [classroom]


def test_make_lab_installs_classroom_not_dev() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet -e '.[classroom]'" in makefile
    lab = makefile.split("\nlab: ", 1)[1].split("\n\n", 1)[0]
    assert "$(LAB_STAMP)" in lab and "$(STAMP)" not in lab.replace("$(LAB_STAMP)", "")


def test_classifiers_and_build_backend() -> None:
    project = pyproject()
    classifiers = set(project["project"]["classifiers"])
    assert {
        "Programming Language :: Python :: 3 :: Only",
        "Typing :: Typed",
        "Intended Audience :: Education",
        "Intended Audience :: Developers",
    } <= classifiers
    assert any(c.startswith("Development Status :: ") for c in classifiers)
    # one classifier per Python version requires-python allows, up to the newest tested
    assert project["project"]["requires-python"] == ">=3.10"
    versions = {c.rsplit(" ", 1)[1] for c in classifiers if c.count("::") == 2 and "3." in c}
    assert versions == {"3.10", "3.11", "3.12", "3.13", "3.14"}
    assert (ROOT / "xsk_nb" / "py.typed").is_file()
    assert project["build-system"]["requires"] == ["hatchling>=1.27"]


def test_the_voila_template_is_installed_where_voila_finds_it() -> None:
    """The wheel's shared data (pyproject's [tool.hatch.build.targets.wheel.shared-data]) puts
    share/jupyter/voila/templates/xsk-nb in the environment, and Voila resolves the name to it,
    with the files of this checkout (a stale copy would serve an old page)."""
    from voila.paths import collect_template_paths

    source = ROOT / "share/jupyter/voila/templates/xsk-nb"
    found = collect_template_paths(["voila", "nbconvert"], "xsk-nb", prune=True)
    installed = Path(found[0])
    assert installed.name == "xsk-nb" and installed != source
    names = sorted(p.name for p in source.iterdir())
    assert {"conf.json", "index.html.j2", "page.html"} <= set(names)
    for name in names:
        assert (installed / name).read_bytes() == (source / name).read_bytes(), (
            f"{installed / name} is stale: make .venv/.installed reinstalls the kit"
        )
