# Two commands for a newcomer: `make lab` opens the kit, `make test` runs every test.
# Both build a virtual environment in .venv first when it is missing or older than pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: lab test notebooks bench lint clean

# The kit's Voila template is installed as shared data (copied, even by an editable install):
# a change to it reinstalls.
VOILA_TEMPLATE := $(wildcard share/jupyter/voila/templates/xsk-nb/*)

$(STAMP): pyproject.toml $(VOILA_TEMPLATE)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# JupyterLab refuses to run as root unless told; containers and CI machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

# make lab gets a venv of its own with only what the lessons need ([classroom]: JupyterLab,
# Voila, the kernel side), so the dev tools (nbgrader's server extensions and menus among them)
# never show in the students' JupyterLab, even after make test.
LAB_VENV := .venv-lab
LAB_STAMP := $(LAB_VENV)/.installed

$(LAB_STAMP): pyproject.toml $(VOILA_TEMPLATE)
	$(PYTHON) -m venv $(LAB_VENV)
	$(LAB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LAB_VENV)/bin/python -m pip install --quiet -e '.[classroom]'
	touch $(LAB_STAMP)

# --config: the kit's save guard (keys not revealed on purpose stay out of saved notebooks).
lab: $(LAB_STAMP)
	$(LAB_VENV)/bin/jupyter lab --ip=127.0.0.1 $(ALLOW_ROOT) --config=jupyter_server_config.py notebooks/

# Strict nbval (outputs compared, random parts sanitized) on the solutions of every lesson
# (solutions/) and the panel app, plus every test. The student versions (notebooks/) are saved
# without outputs: tests/test_notebooks.py runs each once, top to bottom (every check "not yet").
test: $(STAMP) lint
	$(BIN)/python -m pytest --nbval --nbval-current-env \
		--nbval-sanitize-with tests/notebooks/nbval_sanitize.cfg notebooks/key_panel.ipynb solutions tests

# Re-run every lesson from its source (solutions/) and rewrite it with outputs; rewrite the
# student versions (notebooks/) from it, without outputs.
# Run it after any change to a lesson or to what the kit displays, and commit what it rewrites.
notebooks: $(STAMP)
	$(BIN)/python tests/notebooks/build_lessons.py

bench: $(STAMP)
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/notebooks_bench.py
	$(BIN)/python bench/browser_bench.py
	$(BIN)/python bench/scan_bench.py

# ruff on everything; mypy on the package (its settings: [tool.mypy] in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check xsk_nb tests bench lite notebooks solutions course hub binder conftest.py
	$(BIN)/python -m mypy

clean:
	rm -rf $(VENV) $(LAB_VENV) .pytest_cache

# The browser-only site (issue 11): JupyterLite + Pyodide + the kit's wheel, built into site/
# from PyPI and npm. Downloads are cached in .lite-cache/ (both git-ignored), where the build
# tools get their own venv (lite/requirements-build.txt). `make lite-serve` serves it.
.PHONY: lite lite-serve
LITE_CACHE := .lite-cache
LITE_VENV := $(LITE_CACHE)/venv
LITE_STAMP := $(LITE_VENV)/.installed

$(LITE_STAMP): lite/requirements-build.txt
	$(PYTHON) -m venv $(LITE_VENV)
	$(LITE_VENV)/bin/python -m pip install --quiet -r lite/requirements-build.txt
	touch $(LITE_STAMP)

# The site is rebuilt only when something it is built from changed (make test reuses it):
# the kit (its wheel), the lessons (its contents), lite/ (its configuration), pyproject.toml.
# XSK_LITE_NOTEBOOKS (another folder's lessons) always rebuilds. Paths hold no spaces.
LITE_SITE_STAMP := site/.xsk-built
SITE_SOURCES := pyproject.toml $(shell find xsk_nb notebooks lite -type f \
	-not -path '*/__pycache__/*' -not -name '*.pyc' -not -path '*/.ipynb_checkpoints/*')
ifneq ($(XSK_LITE_NOTEBOOKS),)
.PHONY: $(LITE_SITE_STAMP)
endif

$(LITE_SITE_STAMP): $(LITE_STAMP) $(SITE_SOURCES)
	$(LITE_VENV)/bin/python lite/build.py
	touch $(LITE_SITE_STAMP)

lite: $(LITE_SITE_STAMP)

lite-serve: lite
	$(PYTHON) lite/serve.py

# make test builds the site first: tests/lite/ runs it in Chromium.
test: lite

# make bench also measures the site: build time, size, first visit, page load -> first key.
.PHONY: lite-bench
bench: lite-bench
lite-bench: lite $(STAMP)
	$(BIN)/python bench/lite_bench.py

# The course website (issue 23): Sphinx + MyST-NB + sphinx-book-theme, with the browser-only
# site's JupyterLite in lite/ of the output (from the lite dir `make lite` prepares), built
# into course/_build/html. Its tools get their own venv (course/requirements-site.txt).
# A JupyterHub address for the lessons' "Launch on JupyterHub" links: make site JUPYTERHUB_URL=...
.PHONY: site
SITE_VENV := .course-cache/venv
COURSE_STAMP := $(SITE_VENV)/.installed

$(COURSE_STAMP): course/requirements-site.txt
	$(PYTHON) -m venv $(SITE_VENV)
	$(SITE_VENV)/bin/python -m pip install --quiet -r course/requirements-site.txt
	touch $(COURSE_STAMP)

site: lite $(COURSE_STAMP)
	XSK_JUPYTERHUB_URL=$(JUPYTERHUB_URL) $(SITE_VENV)/bin/python course/build.py

# The class on a real JupyterHub on 127.0.0.1 (a demo and a recipe; docs/launching-the-class.md):
# JupyterHub and the single-user stack in .hub/venv, configurable-http-proxy from npm in .hub/node.
.PHONY: hub hub-tools
HUB_STAMP := .hub/venv/.installed
CHP := .hub/node/node_modules/.bin/configurable-http-proxy

# jupyter-events pulls in rfc3987-syntax (jsonschema's "iri" format check), which builds a Lark
# grammar on import: 0.7-1.4 CPU-s of every student server's start. Nothing here checks IRIs;
# without it jsonschema skips that one format (docs/launching-the-class.md has the figures).
$(HUB_STAMP): hub/requirements.txt pyproject.toml
	$(PYTHON) -m venv .hub/venv
	.hub/venv/bin/python -m pip install --quiet -r hub/requirements.txt -e '.[lab]'
	.hub/venv/bin/python -m pip uninstall --quiet --yes rfc3987-syntax
	touch $(HUB_STAMP)

$(CHP):
	mkdir -p .hub/node
	cd .hub/node && npm install --silent --no-audit --no-fund configurable-http-proxy@5.3.0

hub-tools: $(HUB_STAMP) $(CHP)

hub: hub-tools
	$(PYTHON) hub/hubctl.py demo

# make test checks the course site in Chromium and runs a 3-student class on the hub.
test: site hub-tools

# make bench: 30 students on the hub (memory, Generate-to-card, start-up, lesson 10 at once).
bench: hub-bench
.PHONY: hub-bench
hub-bench: hub-tools $(STAMP)
	$(BIN)/python bench/hub_bench.py
