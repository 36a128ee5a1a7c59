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

# --config: the kit's save guard (keys not revealed on purpose stay out of saved notebooks).
lab: $(STAMP)
	$(BIN)/jupyter lab --ip=127.0.0.1 $(ALLOW_ROOT) --config=jupyter_server_config.py notebooks/

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
	$(BIN)/python bench/scan_bench.py

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
