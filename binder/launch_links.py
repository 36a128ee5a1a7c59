"""The project's links, built from one setting: ``[tool.xsk-nb] repository`` in pyproject.toml.

That setting ("ACCOUNT/xsk-nb") names the GitHub repository that hosts the project. The
README's Binder launch lines and pyproject's ``[project.urls]`` are derived from it, and
tests/test_binder.py checks that they agree. When the project moves to another account, change
the setting, then run ``python binder/launch_links.py`` and paste what it prints.

    python binder/launch_links.py            # print the README lines and [project.urls]
    python binder/launch_links.py --check    # exit 1, one line per disagreement, if any
    python binder/launch_links.py --hub https://hub.example.edu   # also the nbgitpuller link

The nbgitpuller link is for a JupyterHub with nbgitpuller installed in its single-user image
(docs/launching-the-class.md): it copies the repository into the student's folder (a folder
named after the repository), or pulls and merges on a second visit, then opens the lesson.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
REPOSITORY = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
#: What each launch link opens (a path under the repository root, through Binder's urlpath).
LAB_NOTEBOOK = "notebooks/01_what_hmac_and_a_jws_are.ipynb"
VOILA_NOTEBOOK = "notebooks/key_panel.ipynb"
BINDER_REF = "HEAD"


def repository(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The ``owner/name`` of the hosting GitHub repository, from ``[tool.xsk-nb]``."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    value = data.get("tool", {}).get("xsk-nb", {}).get("repository")
    if not isinstance(value, str) or not REPOSITORY.fullmatch(value):
        raise ValueError(
            '[tool.xsk-nb] repository in pyproject.toml must be "ACCOUNT/NAME", e.g. "OWNER/xsk-nb"'
        )
    return value


def binder_url(urlpath: str, repo: str) -> str:
    return f"https://mybinder.org/v2/gh/{repo}/{BINDER_REF}?urlpath={urlpath}"


def nbgitpuller_url(hub: str, repo: str, notebook: str = LAB_NOTEBOOK) -> str:
    """The nbgitpuller link that opens ``notebook`` (a path in the repository) on ``hub``.

    ``hub`` is the JupyterHub's address (``https://hub.example.edu``); ``repo`` is either
    "ACCOUNT/NAME" (a GitHub repository) or a git URL. nbgitpuller clones into a folder named
    after the URL's last segment, so the lesson opens at ``lab/tree/<that folder>/<notebook>``.
    No branch is given: nbgitpuller follows the repository's default branch.
    """
    parts = urlsplit(hub)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"the hub must be an http:// or https:// address, e.g. "
                         f"https://hub.example.edu; got {hub!r}")
    git_url = f"https://github.com/{repo}" if REPOSITORY.fullmatch(repo) else repo
    folder = git_url.rstrip("/").split("/")[-1]
    query = urlencode({"repo": git_url, "urlpath": f"lab/tree/{folder}/{notebook}"})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def readme_launch_lines(repo: str) -> list[str]:
    """The README's launch lines, exactly: the Binder badge for JupyterLab and the Voilà app."""
    lab = binder_url(f"lab/tree/{LAB_NOTEBOOK}", repo)
    voila = binder_url(f"voila/render/{VOILA_NOTEBOOK}", repo)
    return [
        f"[![Binder](https://mybinder.org/badge_logo.svg)]({lab})",
        f"[Open the key panel as a Voilà app on Binder]({voila})",
    ]


def project_urls(repo: str) -> dict[str, str]:
    """What ``[project.urls]`` must say."""
    home = f"https://github.com/{repo}"
    return {
        "Homepage": home,
        "Source": home,
        "Issues": f"{home}/issues",
        "Changelog": f"{home}/blob/HEAD/CHANGELOG.md",
        "Binder": binder_url(f"lab/tree/{LAB_NOTEBOOK}", repo),
    }


def problems(
    readme: Path = ROOT / "README.md", pyproject: Path = ROOT / "pyproject.toml"
) -> list[str]:
    """Every disagreement between the setting and the README or [project.urls], one line each."""
    repo = repository(pyproject)
    found = []
    text = readme.read_text(encoding="utf-8")
    lines = text.splitlines()
    for line in readme_launch_lines(repo):
        if line not in lines:
            found.append(f"README.md lacks this line: {line}")
    name = repo.split("/", 1)[1]
    for match in re.finditer(
        r"https://(?:mybinder\.org/v2/gh|github\.com)/([^/\s)]+/[^/\s)?]+)", text
    ):
        if match.group(1).lower().removesuffix(".git") != repo.lower() and match.group(1).endswith(
            name
        ):
            found.append(f"README.md links to {match.group(1)}, not {repo}")
    urls = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"].get("urls", {})
    if urls != project_urls(repo):
        found.append(f"[project.urls] in pyproject.toml differs from {project_urls(repo)}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report disagreements, exit 1 if any")
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md", help="README to check")
    parser.add_argument(
        "--pyproject", type=Path, default=ROOT / "pyproject.toml", help="pyproject.toml"
    )
    parser.add_argument(
        "--hub", metavar="URL", help="also print the nbgitpuller link for this JupyterHub"
    )
    args = parser.parse_args(argv)
    try:
        if args.check:
            found = problems(args.readme, args.pyproject)
            for line in found:
                print(line, file=sys.stderr)
            return 1 if found else 0
        repo = repository(args.pyproject)
        hub_link = nbgitpuller_url(args.hub, repo) if args.hub else None
    except (OSError, ValueError, KeyError) as error:
        print(f"launch_links: error: {error}", file=sys.stderr)
        return 2
    print("\n".join(readme_launch_lines(repo)))
    print("\n[project.urls]")
    for key, url in project_urls(repo).items():
        print(f'{key} = "{url}"')
    if hub_link:
        print("\nnbgitpuller link (JupyterHub):")
        print(hub_link)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
