"""The README's tour, verbatim, from the built wheel in clean virtual environments.

The wheel is built once (pip's build isolation, hatchling from PyPI); each case makes a fresh
venv, installs the wheel with no extra or with one extra (pip's cache reused), and runs the
tour's code as README.md has it, extracted from its code blocks, so the test breaks when the
README drifts from what the wheel does:

- the Python tour (the block of ``>>>`` lines) pasted into ``python -i``: every line runs,
  the one expected error is the README's ``ValueError`` line, and no other traceback shows;
- the shell tour (the block of ``xsk-nb`` lines), each line in ``bash`` in an empty folder,
  with no extra: every line exits 0;
- the notebook tour (the block starting with ``%load_ext xsk_nb``), verbatim, each line a cell
  of a real IPython shell, with an extra that brings IPython: every cell succeeds.

A venv and an install per case (uv's cache makes them seconds once warm): marked ``wheel``;
deselect with ``-m 'not wheel'``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.wheel

#: The kit's user-facing extras ([dev] is the project's own tooling, not a user's install).
EXTRAS = ("stats", "notebook", "xano", "lab", "classroom")
WITH_IPYTHON = {"notebook", "lab", "classroom"}


def readme_blocks() -> list[tuple[str, str]]:
    """``(language, code)`` of every fenced block of README.md."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^```(\w*)\n(.*?)^```", text, re.M | re.S)


def block_starting(prefix: str) -> str:
    found = [code for _, code in readme_blocks() if code.startswith(prefix)]
    assert len(found) == 1, f"README.md has {len(found)} code blocks starting {prefix!r}"
    return found[0]


def python_tour() -> tuple[list[str], list[str]]:
    """The tour's ``>>>`` lines, and the lines it shows as their output."""
    lines = block_starting(">>> import xsk_nb").splitlines()
    code = [line[4:] for line in lines if line.startswith(">>> ")]
    shown = [line for line in lines if line.strip() and not line.startswith(">>> ")]
    return code, shown


def shell_tour() -> list[str]:
    return [line for line in block_starting("xsk-nb ").splitlines() if line.strip()]


def notebook_tour() -> list[str]:
    return [line for line in block_starting("%load_ext xsk_nb").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True, timeout=600,
    )  # fmt: skip
    (built,) = out.glob("xsk_nb-*-py3-none-any.whl")
    return built


#: uv (in the dev extra) installs from its cache by hard links: the six venvs take seconds, not
#: the minutes pip needs to unpack JupyterLab six times. pip is the fallback.
UV = shutil.which("uv", path=str(Path(sys.executable).parent))


def clean_venv(folder: Path, wheel: Path, extra: str | None) -> Path:
    """A venv holding only the wheel (with ``extra``) and its dependencies; its bin folder."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    python = folder / "bin" / "python"
    target = f"{wheel}[{extra}]" if extra else str(wheel)
    installer = [UV, "pip", "install"] if UV else [sys.executable, "-m", "pip", "install"]
    subprocess.run(
        [*installer, "--python", str(python), "--quiet", target], check=True, timeout=1200,
    )  # fmt: skip
    return folder / "bin"


def tour_env(bin_dir: Path, home: Path) -> dict[str, str]:
    return {
        "PATH": f"{bin_dir}{os.pathsep}/usr/bin:/bin",
        "HOME": str(home),
        "IPYTHONDIR": str(home / ".ipython"),
        "MPLCONFIGDIR": str(home / ".matplotlib"),
        "LANG": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
    }


def run_python_tour(bin_dir: Path, home: Path) -> None:
    code, shown = python_tour()
    done = subprocess.run(
        [str(bin_dir / "python"), "-i", "-q"], input="\n".join(code) + "\n", cwd=home,
        env=tour_env(bin_dir, home), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    error = re.compile(r"\w+(Error|Exception):")
    errors = [line for line in done.stderr.splitlines() if error.match(line)]
    expected_errors = [line for line in shown if error.match(line)]
    assert errors == expected_errors, done.stderr  # only the README's ValueError
    assert done.stderr.count("Traceback") == len(expected_errors)
    # the tour's comment "about 5.77 for 64 bytes": the exact expectation is 5.7657...
    assert re.search(r"\(\d\.\d+, 5\.765\d*\)", done.stdout), done.stdout


def test_bare_wheel_runs_the_python_and_shell_tours(wheel: Path, tmp_path: Path) -> None:
    bin_dir = clean_venv(tmp_path / "venv", wheel, None)
    home = tmp_path / "home"
    home.mkdir()
    run_python_tour(bin_dir, home)
    for line in shell_tour():
        done = subprocess.run(
            ["bash", "-c", line], cwd=home, env=tour_env(bin_dir, home),
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, (line, done.stderr)
    assert (home / ".env").stat().st_mode & 0o777 == 0o600
    assert (home / "keys.json").stat().st_mode & 0o777 == 0o600


NOTEBOOK_DRIVER = """
import sys
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
failed = []
for cell in sys.stdin.read().split("\\0"):
    result = shell.run_cell(cell)
    if not result.success:
        failed.append((cell, repr(result.error_before_exec or result.error_in_exec)))
print("FAILED:", failed)
"""


def run_notebook_tour(bin_dir: Path, home: Path, cells: list[str]) -> str:
    done = subprocess.run(
        [str(bin_dir / "python"), "-c", NOTEBOOK_DRIVER], input="\0".join(cells),
        cwd=home, env=tour_env(bin_dir, home), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("extra", EXTRAS)
def test_wheel_with_each_extra_runs_the_tour(wheel: Path, tmp_path: Path, extra: str) -> None:
    bin_dir = clean_venv(tmp_path / "venv", wheel, extra)
    home = tmp_path / "home"
    home.mkdir()
    run_python_tour(bin_dir, home)
    if extra not in WITH_IPYTHON:
        return
    out = run_notebook_tour(bin_dir, home, notebook_tour())  # verbatim, one line a cell
    assert "FAILED: []" in out, out[-3000:]
    assert (home / ".env").stat().st_mode & 0o777 == 0o600
