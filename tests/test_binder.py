"""The Binder set-up, checked against what repo2docker really does.

- binder/ holds runtime.txt (a Python the kit supports), requirements.txt (third-party packages
  only, mirroring pyproject.toml's ranges, nothing of the Jupyter server side) and postBuild
  (the kit itself, last, without dependencies);
- ``jupyter-repo2docker --no-build --debug --no-run .`` (no Docker daemon needed) prints the
  Dockerfile it would build: the requirements are installed before the repository is copied
  (a layer Binder caches across commits), the kit after it, in one environment;
- the slow test installs binder/requirements.txt on top of the base image's own versions (read
  from repo2docker's conda lock for the pinned Python, used as pip constraints, so nothing of
  the base may be up- or downgraded), runs postBuild, and runs notebook 1 there. It uses the
  user's pip cache, so a second run downloads nothing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: repo2docker brings tomli
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"
#: What repo2docker's base image provides (the Jupyter server side): never listed or re-pinned.
SERVER_SIDE = frozenset({"jupyterlab", "notebook", "ipywidgets", "ipykernel", "ipython"})
#: repo2docker files that would replace binder/requirements.txt or change what it means.
OTHER_CONFIG = ("environment.yml", "Pipfile", "Pipfile.lock", "setup.py", "Project.toml",
                "install.R", "apt.txt", "Dockerfile", "requirements3.txt")  # fmt: skip
PER_USER_DIRS = ("IPYTHONDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR",
                 "MPLCONFIGDIR")  # fmt: skip
#: conda-forge names whose PyPI name differs (for reading the base image's lock).
CONDA_TO_PYPI = {"brotli-python": "brotli", "python-fastjsonschema": "fastjsonschema",
                 "nbconvert-core": "nbconvert", "matplotlib-base": "matplotlib"}  # fmt: skip


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def requirement_lines() -> list[str]:
    lines = (BINDER / "requirements.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def runtime_python() -> str:
    text = (BINDER / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(3\.\d+)", text)
    assert match, f"binder/runtime.txt must read python-3.N; it reads {text!r}"
    return match.group(1)


def base_image_versions(python: str) -> dict[str, str]:
    """PyPI name -> version of every Python package in repo2docker's base environment."""
    import repo2docker

    lock = (
        Path(repo2docker.__file__).parent
        / "buildpacks" / "conda" / f"environment.py-{python}-linux-64.lock"
    )  # fmt: skip
    versions: dict[str, str] = {}
    for line in lock.read_text().splitlines():
        if not line.startswith("https://"):
            continue
        stem = re.sub(r"\.(conda|tar\.bz2)(#.*)?$", "", line.rsplit("/", 1)[1])
        name, version, build = stem.rsplit("-", 2)
        if not build.startswith("py"):  # a C library, not a Python package
            continue
        try:
            Version(version)
        except InvalidVersion:
            continue
        versions[canonicalize_name(CONDA_TO_PYPI.get(name, name))] = version
    return versions


# --- the files --------------------------------------------------------------------------------


def test_runtime_pins_a_python_the_kit_and_repo2docker_support() -> None:
    from packaging.specifiers import SpecifierSet
    from repo2docker.buildpacks.conda.supported_python_version import SUPPORTED_PYTHON_VERSION

    python = runtime_python()
    assert Version(python) in SpecifierSet(pyproject()["project"]["requires-python"])
    assert python in SUPPORTED_PYTHON_VERSION
    # Below 3.7 repo2docker would split the kernel from the server; the pin keeps one env.
    assert Version(python) >= Version("3.7")


def test_requirements_mirror_pyproject_and_leave_the_server_side_to_the_base_image() -> None:
    project = pyproject()["project"]
    wanted = [Requirement(r) for r in project["dependencies"]]
    wanted += [Requirement(r) for r in project["optional-dependencies"]["classroom"]]
    # "xsk-nb[lab]" in classroom: the kit's own extras, expanded until none is left.
    while own := [r for r in wanted if canonicalize_name(r.name) == "xsk-nb"]:
        wanted.remove(own[0])
        for extra in own[0].extras:
            wanted += [Requirement(r) for r in project["optional-dependencies"][extra]]
    third_party = {
        canonicalize_name(r.name): r.specifier
        for r in wanted
        if canonicalize_name(r.name) not in SERVER_SIDE
    }
    listed = {}
    for line in requirement_lines():
        assert not line.startswith(("-e", ".", "/")) and "file:" not in line, (
            f"{line!r}: a local path makes repo2docker install everything after copying the "
            "repository, so Binder cannot cache it; the kit is installed by postBuild"
        )
        req = Requirement(line)
        listed[canonicalize_name(req.name)] = req.specifier
    assert not SERVER_SIDE & set(listed), "the base image's server side must not be re-pinned"
    assert listed == third_party, "binder/requirements.txt must list pyproject's ranges"


def test_requirements_comment_says_what_repo2docker_does() -> None:
    text = (BINDER / "requirements.txt").read_text()
    assert "separate kernel environment is made only for Python < 3.7" in text
    assert "ignores pyproject.toml's requires-python" in text
    assert "installed BEFORE the repository is copied" in text


def test_postbuild_installs_the_kit_last_without_dependencies() -> None:
    post_build = BINDER / "postBuild"
    text = post_build.read_text()
    assert text.startswith("#!/bin/bash\n") and "set -euo pipefail" in text
    assert os.access(post_build, os.X_OK)
    commands = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert commands[-1].endswith("-m pip install --no-cache-dir --no-deps -e .")


def test_binder_and_make_lab_render_voila_with_the_kit_template() -> None:
    """jupyter_server_config.py (postBuild copies it; make lab passes it) selects the kit's
    Voila template, the one the test harness launches and the wheel ships (UX review C10)."""
    from traitlets.config import Config

    sys.path.insert(0, str(ROOT / "tests"))
    from _browser.servers import VOILA_TEMPLATE

    config = Config()
    code = (ROOT / "jupyter_server_config.py").read_text()
    exec(compile(code, "jupyter_server_config.py", "exec"), {"get_config": lambda: config})
    assert config.VoilaConfiguration.template == VOILA_TEMPLATE == "xsk-nb"
    assert "jupyter_server_config.py" in (BINDER / "postBuild").read_text()
    shared = pyproject()["tool"]["hatch"]["build"]["targets"]["wheel"]["shared-data"]
    assert shared[f"share/jupyter/voila/templates/{VOILA_TEMPLATE}"] == (
        f"share/jupyter/voila/templates/{VOILA_TEMPLATE}"
    )


def test_binder_has_no_file_that_would_split_or_replace_the_environment() -> None:
    present = [name for name in OTHER_CONFIG if (BINDER / name).exists()]
    assert present == []


# --- what repo2docker builds from them ----------------------------------------------------------


@pytest.fixture(scope="module")
def repo2docker_output() -> tuple[str, str]:
    exe = shutil.which("jupyter-repo2docker", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.fail("jupyter-repo2docker is missing: pip install -e '.[dev]'")
    done = subprocess.run(
        [exe, "--no-build", "--debug", "--no-run", "."],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout, done.stderr


def test_repo2docker_uses_the_pinned_python_in_one_environment(
    repo2docker_output: tuple[str, str],
) -> None:
    dockerfile, log = repo2docker_output
    assert f"Building conda environment for python={runtime_python()}" in log
    assert "Python version unspecified" not in log
    assert "separate kernel environment" not in log
    assert "ENV KERNEL_PYTHON_PREFIX=${NB_PYTHON_PREFIX}" in dockerfile


def test_repo2docker_installs_requirements_before_the_copy_and_the_kit_after(
    repo2docker_output: tuple[str, str],
) -> None:
    lines = repo2docker_output[0].splitlines()

    def where(text: str) -> int:
        found = [i for i, line in enumerate(lines) if line.strip() == text]
        assert len(found) == 1, f"expected one line {text!r} in the Dockerfile"
        return found[0]

    copy_requirements = where(
        "COPY --chown=0:0 src/binder/requirements.txt ${REPO_DIR}/binder/requirements.txt"
    )
    install = where(
        'RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "binder/requirements.txt"'
    )
    copy_repository = where("COPY --chown=0:0 src/ ${REPO_DIR}/")
    post_build = where("RUN ./binder/postBuild")
    assert copy_requirements < install < copy_repository < post_build


# --- installing it on top of the base image's versions --------------------------------------


def _clean_env(tmp_path: Path) -> dict[str, str]:
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
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env  # PIP_CACHE_DIR is left alone: the user's pip cache is the wheelhouse


def _base_python() -> str:
    """The interpreter this venv was made from: a plain venv must not nest in ours."""
    return getattr(sys, "_base_executable", None) or sys.executable


@pytest.mark.binder
def test_binder_requirements_fit_the_base_image_and_run_notebook_1(tmp_path: Path) -> None:
    env = _clean_env(tmp_path)
    venv = tmp_path / "binder-venv"
    base = base_image_versions(runtime_python())
    constraints = tmp_path / "base-image.txt"
    constraints.write_text("".join(f"{name}=={version}\n" for name, version in base.items()))

    def run(*args: str | Path, timeout: int = 900) -> str:
        done = subprocess.run(
            [str(a) for a in args], cwd=ROOT, env=env, capture_output=True, text=True,
            timeout=timeout, check=False,
        )  # fmt: skip
        assert done.returncode == 0, (
            f"{args[:5]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
        return done.stdout

    # uv installs as pip would, from its cache by hard links (the dev extra has it): seconds,
    # not the minute pip needs to unpack JupyterLab; pip where uv is missing. Its venv --seed
    # has pip, as repo2docker's environment has (postBuild runs `python -m pip`).
    uv = shutil.which("uv", path=str(Path(sys.executable).parent))
    if uv:
        run(uv, "venv", "--quiet", "--seed", "--python", _base_python(), venv)
    else:
        run(_base_python(), "-m", "venv", venv)
    python = venv / "bin" / "python"
    installer = (
        (uv, "pip", "install", "--python", python) if uv else (python, "-m", "pip", "install")
    )
    pip = (*installer, "--quiet", "-c", constraints)
    # 1. the base image: its server side at its own versions
    run(*pip, *sorted(SERVER_SIDE))
    # 2. repo2docker's pre-assemble step: binder/requirements.txt, nothing of the base moved
    run(*pip, "-r", "binder/requirements.txt")
    # 3. postBuild, as repo2docker runs it, from the repository root
    env["KERNEL_PYTHON_PREFIX"] = str(venv)
    run("binder/postBuild", timeout=300)

    frozen = dict(
        line.split("==", 1)
        for line in run(python, "-m", "pip", "list", "--format=freeze").splitlines()
        if "==" in line
    )
    frozen = {canonicalize_name(k): v for k, v in frozen.items()}
    for name in SERVER_SIDE:
        assert frozen[name] == base[name], f"{name} moved from the base image's {base[name]}"
    run(*((uv, "pip", "check", "--python", python) if uv else (python, "-m", "pip", "check")))

    where = run(python, "-c", "import sys, xsk_nb; print(xsk_nb.__file__); print(sys.prefix)")
    module_file, prefix = where.split()
    assert Path(module_file).resolve() == (ROOT / "xsk_nb" / "__init__.py").resolve()
    assert Path(prefix).resolve() == venv.resolve()

    # Voilà is a server extension of this environment's Jupyter, so ?urlpath=voila/... works.
    # (The file `jupyter server extension list` reads; reading it is 5 s quicker.)
    enabled = json.loads(
        (venv / "etc/jupyter/jupyter_server_config.d/voila.json").read_text(encoding="utf-8")
    )
    assert enabled["ServerApp"]["jpserver_extensions"]["voila.server_extension"] is True
    # ... and postBuild's install put the kit's Voila template where Voila looks (the one
    # jupyter_server_config.py selects: no CDN request).
    assert (venv / "share/jupyter/voila/templates/xsk-nb/index.html.j2").is_file()

    out = tmp_path / "executed"
    run(
        venv / "bin" / "jupyter", "nbconvert", "--to", "notebook", "--execute",
        "--ExecutePreprocessor.kernel_name=python3", "--ExecutePreprocessor.timeout=300",
        "--output-dir", out, "notebooks/01_what_hmac_and_a_jws_are.ipynb",
    )  # fmt: skip
    assert (out / "01_what_hmac_and_a_jws_are.ipynb").is_file()


# --- launch links: one setting for the hosting account -----------------------------------------


def launch_links():  # binder/launch_links.py is a script, not part of the package
    import importlib.util

    spec = importlib.util.spec_from_file_location("launch_links", BINDER / "launch_links.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_has_the_launch_lines_built_from_the_repository_setting() -> None:
    links = launch_links()
    repo = links.repository()
    assert repo == pyproject()["tool"]["xsk-nb"]["repository"]
    readme = (ROOT / "README.md").read_text().splitlines()
    for line in links.readme_launch_lines(repo):
        assert line in readme, f"README.md must hold this line exactly:\n{line}"
    assert links.problems() == []


def test_launch_links_open_notebooks_that_exist() -> None:
    links = launch_links()
    for line in links.readme_launch_lines(links.repository()):
        urlpath = re.search(r"\?urlpath=([^)\s]+)", line).group(1)
        notebook = re.sub(r"^(lab/tree|voila/render)/", "", urlpath)
        assert (ROOT / notebook).is_file(), f"a launch link opens {notebook}, which does not exist"


def test_project_urls_are_built_from_the_same_setting() -> None:
    links = launch_links()
    urls = pyproject()["project"]["urls"]
    assert urls == links.project_urls(links.repository())
    assert all(links.repository() in url for url in urls.values())


def test_check_reports_a_readme_or_setting_that_disagrees(tmp_path: Path) -> None:
    links = launch_links()
    script = [sys.executable, str(BINDER / "launch_links.py")]
    done = subprocess.run([*script, "--check"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr == ""

    moved = tmp_path / "pyproject.toml"
    moved.write_text(
        (ROOT / "pyproject.toml")
        .read_text()
        .replace(f'repository = "{links.repository()}"', 'repository = "someone-else/xsk-nb"')
    )
    done = subprocess.run(
        [*script, "--check", "--pyproject", str(moved)], capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert "README.md lacks this line" in done.stderr and "[project.urls]" in done.stderr

    bad = tmp_path / "bad.toml"
    bad.write_text('[project]\nname = "x"\n[tool.xsk-nb]\nrepository = "not a repo"\n')
    done = subprocess.run(
        [*script, "--pyproject", str(bad)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and "must be" in done.stderr


def test_hub_prints_an_nbgitpuller_link_for_the_repository() -> None:
    """nbgitpuller 1.3's UI handler: the clone goes into the URL's last segment (its
    ``targetpath`` default), so the lesson opens at lab/tree/<that folder>/<notebook>."""
    from urllib.parse import parse_qs, urlsplit

    links = launch_links()
    script = [sys.executable, str(BINDER / "launch_links.py")]
    done = subprocess.run([*script, "--hub", "https://hub.example.edu/"], capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    link = done.stdout.strip().splitlines()[-1]
    parts = urlsplit(link)
    assert (parts.netloc, parts.path) == ("hub.example.edu", "/hub/user-redirect/git-pull")
    query = parse_qs(parts.query)
    repo = links.repository()
    assert query["repo"] == [f"https://github.com/{repo}"]
    assert query["urlpath"] == [f"lab/tree/{repo.split('/')[1]}/{links.LAB_NOTEBOOK}"]
    assert (ROOT / links.LAB_NOTEBOOK).is_file()


def test_hub_that_is_not_a_web_address_is_refused_in_one_line() -> None:
    script = [sys.executable, str(BINDER / "launch_links.py")]
    done = subprocess.run([*script, "--hub", "hub.example.edu"], capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "http:// or https://" in done.stderr
