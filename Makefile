# Two commands for a newcomer: `make lab` opens the kit, `make test` runs every test.
# Both build a virtual environment in .venv first when it is missing or older than pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: lab test notebooks bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# JupyterLab refuses to run as root unless told; containers and CI machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP)
	$(BIN)/jupyter lab --ip=127.0.0.1 $(ALLOW_ROOT) notebooks/

# Strict nbval (outputs compared, random parts sanitized) on every notebook, both versions of
# every lesson (notebooks/: student, solutions/: solutions), plus every test.
test: $(STAMP)
	$(BIN)/ruff check xsk_nb tests bench lite notebooks solutions conftest.py
	$(BIN)/python -m pytest --nbval --nbval-current-env \
		--nbval-sanitize-with tests/notebooks/nbval_sanitize.cfg notebooks solutions tests

# Re-run every lesson from its source (solutions/) and rewrite both versions with outputs.
# Run it after any change to a lesson or to what the kit displays, and commit what it rewrites.
notebooks: $(STAMP)
	$(BIN)/python tests/notebooks/build_lessons.py

bench: $(STAMP)
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/notebooks_bench.py
	$(BIN)/python bench/browser_bench.py

lint: $(STAMP)
	$(BIN)/ruff check xsk_nb tests bench lite notebooks solutions conftest.py

clean:
	rm -rf $(VENV) .pytest_cache

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

lite: $(LITE_STAMP)
	$(LITE_VENV)/bin/python lite/build.py

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
SITE_STAMP := $(SITE_VENV)/.installed

$(SITE_STAMP): course/requirements-site.txt
	$(PYTHON) -m venv $(SITE_VENV)
	$(SITE_VENV)/bin/python -m pip install --quiet -r course/requirements-site.txt
	touch $(SITE_STAMP)

site: lite $(SITE_STAMP)
	XSK_JUPYTERHUB_URL=$(JUPYTERHUB_URL) $(SITE_VENV)/bin/python course/build.py

# The class on a real JupyterHub on 127.0.0.1 (a demo and a recipe; docs/launching-the-class.md):
# JupyterHub and the single-user stack in .hub/venv, configurable-http-proxy from npm in .hub/node.
.PHONY: hub hub-tools
HUB_STAMP := .hub/venv/.installed
CHP := .hub/node/node_modules/.bin/configurable-http-proxy

$(HUB_STAMP): hub/requirements.txt pyproject.toml
	$(PYTHON) -m venv .hub/venv
	.hub/venv/bin/python -m pip install --quiet -r hub/requirements.txt -e '.[lab]'
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
