"""The pre-commit hook, run by pre-commit itself on a throw-away git repository.

The hook is ``.pre-commit-hooks.yaml``'s, as a ``repo: local`` hook with ``language: system``
and this interpreter as its entry (``language: python`` would make pre-commit pip-install the
kit from an index, and this test runs with no network); its id, name, ``types`` and ``files``
are the published hook's own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import xsk_nb
from tests.leakcheck import key_pieces_in

ROOT = Path(__file__).resolve().parents[2]


def git(repo: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    pytest.importorskip("pre_commit")
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": str(tmp_path / "home"),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
        "PYTHONPATH": str(ROOT),
        "GIT_AUTHOR_NAME": "Student", "GIT_AUTHOR_EMAIL": "student@example.org",
        "GIT_COMMITTER_NAME": "Student", "GIT_COMMITTER_EMAIL": "student@example.org",
    }
    repo = tmp_path / "class-repo"
    repo.mkdir()
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook.update(language="system", entry=f"{sys.executable} -m xsk_nb scan")
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    assert git(repo, "init", "-q", ".", env=env).returncode == 0
    installed = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo,
                               env=env, capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr
    git(repo, "add", ".pre-commit-config.yaml", env=env)
    assert git(repo, "commit", "-q", "-m", "config", env=env).returncode == 0
    return repo, env


def test_a_commit_with_a_planted_key_is_refused_and_a_clean_one_passes(
    repo: tuple[Path, dict[str, str]],
) -> None:
    folder, env = repo
    k = xsk_nb.create_secret_key(512)["k"]
    notebook = {"cells": [{"cell_type": "code", "source": "print(key)", "metadata": {},
                           "execution_count": 1, "outputs": [
                               {"output_type": "stream", "name": "stdout",
                                "text": repr({"kty": "oct", "k": k})}]}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (folder / "lesson.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    git(folder, "add", "lesson.ipynb", env=env)
    refused = git(folder, "commit", "-m", "my lesson", env=env)
    said = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert "lesson.ipynb: cell 1, output 1 (stdout): a JWK with secret material" in said
    assert "xsk-nb scan" in said and "Failed" in said
    assert not key_pieces_in(said, k)
    assert git(folder, "log", "--oneline", env=env).stdout.count("\n") == 1  # not committed

    notebook["cells"][0]["outputs"] = []  # the student clears the output
    (folder / "lesson.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    git(folder, "add", "lesson.ipynb", env=env)
    passed = git(folder, "commit", "-m", "my lesson, cleared", env=env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout + passed.stderr
    assert not key_pieces_in(git(folder, "show", "HEAD", env=env).stdout, k)
