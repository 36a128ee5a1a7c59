"""Sphinx configuration of the course website (``make site``; course/build.py runs it).

The stack: Sphinx + MyST-NB (notebooks and Markdown as pages) + sphinx-book-theme (the Jupyter
Book look, with its launch menu for Binder, JupyterHub and JupyterLite). The site's own
JupyterLite is built beside the pages by course/build.py, into ``lite/`` of the output, from the
kit's prepared lite dir (``make lite``). Everything is read from the checkout; nothing is fetched.

Sphinx reads a staged copy of the sources (course/build.py makes it in course/_build/source:
this folder's pages beside copies of notebooks/ and docs/), so a page's name is its path in the
repository: the Binder, JupyterHub and JupyterLite links then all point at
``notebooks/NAME.ipynb``. (Symlinks to the two folders are not enough: MyST resolves a link
through the symlink to the real file, outside the source folder, and finds no page there.)
"""

from __future__ import annotations

import html
import os
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
#: The staged sources Sphinx reads (course/build.py sets it).
SOURCE = Path(os.environ.get("XSK_SITE_SOURCE", HERE))
sys.path.insert(0, str(REPO / "binder"))

import launch_links  # noqa: E402  (the one home of the repository setting and its links)

REPOSITORY = launch_links.repository()  # [tool.xsk-nb] repository in pyproject.toml
#: The university's JupyterHub, when there is one: ``make site JUPYTERHUB_URL=https://...``.
JUPYTERHUB_URL = os.environ.get("XSK_JUPYTERHUB_URL", "").rstrip("/")
#: Where the site's own JupyterLite is, seen from a lesson page (notebooks/NAME.html).
LITE_FROM_LESSON = "../lite/lab/index.html"
#: Files of docs/ that are for the teacher only and never published: a name starting with this.
TEACHER_ONLY_PREFIX = "teacher"

project = "xsk-nb: secret keys for signed tokens"
author = "xsk-nb developers"
copyright = "xsk-nb developers, MIT licence"

extensions = ["myst_nb"]
root_doc = "index"
exclude_patterns = [
    "_build",
    "**/.ipynb_checkpoints",
    "notebooks/key_panel.ipynb",  # the panel alone, as an app: the site links lite/panel.html
    "notebooks/practice_leaks.ipynb",  # lesson 5 writes it with planted keys (lite/build.py)
    f"docs/{TEACHER_ONLY_PREFIX}*",  # the run sheet / answer key stay out of the public site
]
suppress_warnings = ["misc.highlighting_failure"]  # ```xs fences: Pygments has no XanoScript

# Lessons are shown as the student version with no outputs: nothing is run at build time and
# any stored output is left out (a page never shows an answer before the student predicts it).
nb_execution_mode = "off"
nb_remove_code_outputs = True
nb_ipywidgets_js: dict[str, Any] = {}  # no require.js / widget manager from CDNs
myst_heading_anchors = 3  # links such as teaching-guide.md#glossary

html_theme = "sphinx_book_theme"
html_title = "xsk-nb course"
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_last_updated_fmt = None
html_theme_options: dict[str, Any] = {
    "repository_url": f"https://github.com/{REPOSITORY}",  # the theme needs a github.com URL
    "repository_branch": launch_links.BINDER_REF,
    "path_to_docs": "",
    "use_repository_button": True,
    "launch_buttons": {
        "notebook_interface": "jupyterlab",
        "binderhub_url": "https://mybinder.org",
        "jupyterlite_url": LITE_FROM_LESSON,
        **({"jupyterhub_url": JUPYTERHUB_URL} if JUPYTERHUB_URL else {}),
    },
    "show_toc_level": 2,
}


def launch_strip(pagename: str) -> str:
    """The launch links shown at the top of a lesson page: the site's own JupyterLite first."""
    notebook = f"{pagename}.ipynb"
    links = [
        (f"{LITE_FROM_LESSON}?path={notebook}", "Launch in the browser",
         "this lesson in JupyterLite, in this tab's Python: no server, nothing installed"),
        (launch_links.binder_url(f"lab/tree/{notebook}", REPOSITORY), "Launch on Binder",
         "a free public server; it can take minutes to start"),
    ]
    if JUPYTERHUB_URL:
        links.append((launch_links.nbgitpuller_url(JUPYTERHUB_URL, REPOSITORY, notebook),
                      "Launch on JupyterHub",
                      "your class's hub; the lessons are copied into your folder"))
    items = "".join(
        f'<a class="xsk-launch-link" href="{html.escape(url)}" title="{html.escape(title)}">'
        f"{html.escape(label)}</a>"
        for url, label, title in links
    )
    return f'<nav class="xsk-launch" aria-label="Open this lesson">{items}</nav>'


def add_launch_strip(app: Any, pagename: str, templatename: str, context: dict[str, Any],
                     doctree: Any) -> None:
    if re.fullmatch(r"notebooks/[^/]+", pagename) and "body" in context:
        context["body"] = launch_strip(pagename) + context["body"]


def setup(app: Any) -> None:
    app.connect("html-page-context", add_launch_strip)


# --- pages made from the repository's own files at each build (course/_generated/, ignored) ---
GENERATED = SOURCE / "_generated"


def lesson_title(notebook: Path) -> str:
    """A lesson's title: its first Markdown heading, as the lesson itself states it."""
    import nbformat

    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return notebook.stem


def lesson_list() -> str:
    """The home page's list of lessons, in the file browser's order, each linked to its page."""
    lines = []
    for notebook in sorted((REPO / "notebooks").glob("*.ipynb")):
        if f"notebooks/{notebook.name}" in exclude_patterns:
            continue
        # {doc}: a Markdown link would be resolved through the symlink, outside the source dir
        lines.append(f"- {{doc}}`{lesson_title(notebook)} <notebooks/{notebook.stem}>`")
    return "\n".join(lines) + "\n"


def glossary_section() -> str:
    """The glossary: docs/glossary.md when the guide has moved it there, else the guide's
    "Glossary" section (up to the next second-level heading)."""
    own = REPO / "docs" / "glossary.md"
    if own.is_file():
        text = own.read_text(encoding="utf-8")
        return re.sub(r"\A# [^\n]*\n", "", text)  # the page has its own title
    guide = (REPO / "docs" / "teaching-guide.md").read_text(encoding="utf-8")
    found = re.search(r"^## Glossary[^\n]*\n(.*?)(?=^## |\Z)", guide, re.S | re.M)
    if not found:
        raise RuntimeError("docs/teaching-guide.md has no '## Glossary' section and there is "
                           "no docs/glossary.md: the site's glossary page needs one of them")
    return found.group(1)


GENERATED.mkdir(exist_ok=True)
for _name, _text in {"lessons.md": lesson_list(), "glossary.md": glossary_section()}.items():
    _path = GENERATED / _name
    if not _path.is_file() or _path.read_text(encoding="utf-8") != _text:
        _path.write_text(_text, encoding="utf-8")  # unchanged text: Sphinx keeps its cache
exclude_patterns.append("_generated")  # included by index.md and glossary.md, not pages
