"""The Binder set-up: binder/ per repo2docker's conventions, and the README's launch links.

The slow test does what repo2docker does with a Python repository that has a ``binder/``
folder: ``pip install -r binder/requirements.txt`` from the repository root into a plain
(not ``--system-site-packages``) virtual environment, then runs a notebook with the Jupyter of
that environment. Packages come from PyPI; pip's downloads are kept in pytest's cache folder
(``.pytest_cache``), so a second run does not download them again.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.metadata import requires
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"
BINDER_LINK = re.compile(r"https://mybinder\.org/v2/gh/[^)\s]+\?urlpath=([^)\s]+)")
#: repo2docker files that would change what binder/requirements.txt means, or replace it.
OTHER_CONFIG = ("environment.yml", "Pipfile", "Pipfile.lock", "setup.py", "Project.toml",
                "install.R", "apt.txt", "Dockerfile", "runtime.txt")  # fmt: skip
PER_USER_DIRS = ("IPYTHONDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR",
                 "MPLCONFIGDIR")  # fmt: skip


def requirement_lines() -> list[str]:
    lines = (BINDER / "requirements.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_binder_installs_this_package_with_its_notebook_extras() -> None:
    # A binder/ folder disables repo2docker's automatic install of the repository.
    assert requirement_lines() == ["-e .[lab]"]
    lab = [req for req in requires("xsk-nb") or [] if re.search(r"extra\s*==\s*.lab.", req)]
    names = {re.split(r"[<>=!~\[ ;]", req, maxsplit=1)[0].lower() for req in lab}
    assert {"jupyterlab", "ipywidgets", "voila", "ipykernel", "joserfc"} <= names


def test_binder_has_no_file_that_would_split_or_replace_the_environment() -> None:
    present = [name for name in OTHER_CONFIG if (BINDER / name).exists()]
    assert present == [], "only binder/requirements.txt is expected (see its comment)"
    post_build = BINDER / "postBuild"
    if post_build.exists():
        assert "set -e" in post_build.read_text()


def test_readme_binder_links_open_notebook_1_in_lab_and_the_panel_in_voila() -> None:
    readme = (ROOT / "README.md").read_text()
    paths = BINDER_LINK.findall(readme)
    if not paths:
        pytest.skip("README.md has no Binder link yet")
    assert "lab/tree/notebooks/01_your_first_secret_key.ipynb" in paths
    assert "voila/render/notebooks/key_panel.ipynb" in paths
    for path in paths:
        notebook = re.sub(r"^(lab/tree|voila/render|tree|notebooks)/", "", path)
        assert (ROOT / notebook).is_file(), f"a Binder link opens {notebook}, which does not exist"


def _clean_env(tmp_path: Path, pip_cache: Path) -> dict[str, str]:
    """No trace of the outer virtual environment; per-user folders in tmp_path."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")
    }
    outer_bin = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if p != outer_bin
    )
    for name in PER_USER_DIRS:
        folder = tmp_path / "home" / name.lower()
        folder.mkdir(parents=True)
        env[name] = str(folder)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PIP_CACHE_DIR"] = str(pip_cache)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _base_python() -> str:
    """The interpreter this venv was made from: a plain venv must not nest in ours."""
    return getattr(sys, "_base_executable", None) or sys.executable


@pytest.mark.binder
def test_binder_requirements_install_into_a_fresh_venv_and_run_notebook_1(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    cache = getattr(request.config, "cache", None)
    pip_cache = cache.mkdir("binder-pip") if cache is not None else tmp_path / "pip-cache"
    env = _clean_env(tmp_path, Path(pip_cache))
    venv = tmp_path / "binder-venv"

    def run(*args: str | Path, timeout: int = 900) -> str:
        done = subprocess.run(
            [str(a) for a in args], cwd=ROOT, env=env, capture_output=True, text=True,
            timeout=timeout, check=False,
        )  # fmt: skip
        assert done.returncode == 0, (
            f"{args[:3]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
        return done.stdout

    run(_base_python(), "-m", "venv", venv)
    bin_dir = venv / "bin"
    # As repo2docker does: from the repository root, so "-e ." is this repository.
    run(bin_dir / "python", "-m", "pip", "install", "--quiet", "-r", "binder/requirements.txt")

    # The package is installed from this checkout, and nothing leaks in from our own venv.
    where = run(
        bin_dir / "python", "-c", "import sys, xsk_nb; print(xsk_nb.__file__); print(sys.prefix)"
    )
    module_file, prefix = where.split()
    assert Path(module_file).resolve() == (ROOT / "xsk_nb" / "__init__.py").resolve()
    assert Path(prefix).resolve() == venv.resolve()

    # Voilà is a server extension of this environment's Jupyter, so ?urlpath=voila/... works.
    extensions = run(bin_dir / "jupyter", "server", "extension", "list")
    assert "voila" in extensions.lower() or "voila" in run(bin_dir / "pip", "list").lower()

    # Notebook 1 runs top to bottom with this environment's kernel.
    out = tmp_path / "executed"
    run(
        bin_dir / "jupyter", "nbconvert", "--to", "notebook", "--execute",
        "--ExecutePreprocessor.kernel_name=python3", "--ExecutePreprocessor.timeout=300",
        "--output-dir", out, "notebooks/01_your_first_secret_key.ipynb",
    )  # fmt: skip
    assert (out / "01_your_first_secret_key.ipynb").is_file()
