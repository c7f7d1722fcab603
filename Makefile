# coursekit: one entry point for readers, students, instructors and CI.
#
#   make book    build the course site (changed pages executed in parallel, warnings are errors)
#   make book-full  the same, every page executed (the execution cache emptied first)
#   make serve   serve the built site on http://127.0.0.1:$(PORT)/
#   make pdf     the whole course as one PDF (_build/pdf/course.pdf), printed by Chromium
#   make publish push the built site to the gh-pages branch (GitHub Pages) with ghp-import
#   make lint    ruff and mypy on src/ and tests/ (configured in pyproject.toml)
#   make test    lint, then run the whole test suite (installs Debian chromium when it can)
#   make lab     JupyterLab for a student (from the built wheel), with nbgrader's extensions
#   make hub     the course on a JupyterHub (as root), grading on submission
#   make bench   run benchmarks/*.py
#   make clean   remove build outputs (keeps .venv); `make distclean` also removes .venv
#
# Nothing needs installing by hand first: uv is bootstrapped from PyPI when missing
# and .venv is synced from uv.lock (`uv sync --frozen`).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
LAB_PORT ?= 8888
# The course hub (`make hub`, as root): its folder (outside every home and the course), port.
HUB_ROOT ?= /srv/coursekit-hub
HUB_PORT ?= 8010
HUB_NODE = $(BUILD_DIR)/hub-node
# The hub the book's launch buttons open (`make book HUB_URL=https://hub.your-university.edu`);
# unset, _config.yml's launch_buttons.jupyterhub_url (the local `make hub`) is used.
HUB_URL ?=
ifneq ($(strip $(HUB_URL)),)
export COURSEKIT_HUB_URL := $(HUB_URL)
endif
# pytest options; XDIST is dropped automatically when pytest-xdist is unavailable.
XDIST ?= -n 2 --dist loadgroup
PYTEST_ARGS ?=
BUILD_DIR := _build
HTML_DIR := $(BUILD_DIR)/html
BOOK_LOG := $(BUILD_DIR)/book-build.log
# `make pdf`: Jupyter Book's single-page HTML, printed by Chromium (no LaTeX).
SINGLE_DIR := $(BUILD_DIR)/singlehtml
PDF ?= $(BUILD_DIR)/pdf/course.pdf
# `make publish`: where the built site goes (a git remote or URL, and its branch).
PUBLISH_REMOTE ?= origin
PUBLISH_BRANCH ?= gh-pages
# Links that must not reach a published site (the template's placeholders).
PLACEHOLDERS := github\.com/coursekit/coursekit|mybinder\.org
# The student's JupyterLab works in a folder of its own, holding copies of the released
# assignments (a re-release never overwrites a student's answers).
LAB_DIR ?= student

# The venv's bin comes first for every recipe: nbgrader runs `alembic` and
# jupyter-book runs `python` kernels as subprocesses and must find the venv's copies.
VENV := $(CURDIR)/.venv
# The Python that bootstraps uv (resolved before .venv/bin joins PATH) and where its
# `pip install --user` puts scripts (~/.local/bin on Linux).
BOOT_PYTHON := $(shell command -v $(PYTHON) 2>/dev/null || echo $(PYTHON))
USER_BIN := $(shell $(BOOT_PYTHON) -c 'import site; print(site.USER_BASE)' 2>/dev/null)/bin
export PATH := $(VENV)/bin:$(PATH):$(USER_BIN)
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Matplotlib writes its font cache here instead of ~/.cache (and never prints the
# "building the font cache" notice into a lesson's stderr twice).
export MPLCONFIGDIR ?= $(CURDIR)/$(BUILD_DIR)/mplconfig
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help setup uv book book-full serve pdf publish lint test chromium lab lab-env hub hub-proxy bench clean distclean vendor

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

uv:  ## install uv from PyPI when it is missing
	@if command -v uv >/dev/null 2>&1; then exit 0; fi; \
	echo "coursekit: uv not found; installing it from PyPI (pip install --user uv)"; \
	$(BOOT_PYTHON) -m pip install --user --quiet uv 2>/dev/null \
	  || $(BOOT_PYTHON) -m pip install --user --quiet --break-system-packages uv \
	  || { echo "coursekit: could not install uv with pip. Install it (https://docs.astral.sh/uv/) and re-run make." >&2; exit 1; }; \
	command -v uv >/dev/null 2>&1 || { echo "coursekit: uv installed but not found on PATH ($(USER_BIN))." >&2; exit 1; }

setup: uv  ## create/sync .venv from uv.lock
	uv sync --frozen
	@mkdir -p $(MPLCONFIGDIR)
	@# warm matplotlib's font cache once, outside any lesson
	@python -c "import matplotlib.font_manager" 2>/dev/null || true

# Pages are executed in parallel (one process per core) into jupyter-cache
# (_build/.jupyter_cache); a page runs again only when its code changed, every page when
# the library (src/coursekit) or the execute settings changed. Then jupyter-book builds.
book: setup  ## build the course site into _build/html: changed pages executed, in parallel (warnings are errors)
	@mkdir -p $(BUILD_DIR)
	python -m coursekit.bookexec --build 2>&1 | tee $(BOOK_LOG)
	@echo
	@echo "coursekit: the course site is in $(CURDIR)/$(HTML_DIR)/index.html"
	@echo "coursekit: browse it with 'make serve' (http://$(HOST):$(PORT)/)"

book-full: setup  ## empty the execution cache, execute every page and rebuild every page (as CI and the tests do)
	@mkdir -p $(BUILD_DIR)
	python -m coursekit.bookexec --build --force 2>&1 | tee $(BOOK_LOG)
	@echo
	@echo "coursekit: the course site is in $(CURDIR)/$(HTML_DIR)/index.html"
	@echo "coursekit: browse it with 'make serve' (http://$(HOST):$(PORT)/)"

serve:  ## serve _build/html on 127.0.0.1 (PORT=8000)
	@test -f $(HTML_DIR)/index.html || { echo "coursekit: no built site in $(HTML_DIR); run 'make book' first." >&2; exit 1; }
	@echo "coursekit: serving $(HTML_DIR) on http://$(HOST):$(PORT)/ (Ctrl-C stops)"
	$(PYTHON) -m http.server $(PORT) --bind $(HOST) --directory $(HTML_DIR)

pdf: setup  ## the whole course as one PDF in _build/pdf/course.pdf (single-page HTML printed by Chromium)
	@mkdir -p $(BUILD_DIR)
	jupyter-book build . --builder singlehtml -W -n --keep-going 2>&1 | tee $(BUILD_DIR)/pdf-build.log
	python -m coursekit.sphinx.pdf $(SINGLE_DIR) $(PDF)

publish:  ## push the built site (_build/html, from `make book`) to the gh-pages branch with ghp-import
	@test -f $(HTML_DIR)/index.html || { echo "coursekit: no built site in $(HTML_DIR); run 'make book' first." >&2; exit 1; }
	@if grep -rqE '$(PLACEHOLDERS)' $(HTML_DIR) --include='*.html'; then \
	  echo "coursekit: $(HTML_DIR) still links to a placeholder ($(PLACEHOLDERS)); set repository.url and launch_buttons in _config.yml and rebuild." >&2; exit 1; fi
	ghp-import --no-jekyll --push --force --remote $(PUBLISH_REMOTE) --branch $(PUBLISH_BRANCH) \
	  --message "Publish the course site ($$(git rev-parse --short HEAD 2>/dev/null || echo 'no commit'))" $(HTML_DIR)
	@echo "coursekit: published $(HTML_DIR) to $(PUBLISH_REMOTE) $(PUBLISH_BRANCH) (with .nojekyll)"

chromium:  ## install Debian chromium (browser tests) and bubblewrap (grading sandbox) when root or sudo is available
	@missing=; [ -x /usr/bin/chromium ] || missing="$$missing chromium fonts-dejavu-core"; \
	command -v bwrap >/dev/null 2>&1 || missing="$$missing bubblewrap"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "coursekit: missing$$missing and apt-get is unavailable; browser tests are skipped and grading falls back to rlimits."; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO=sudo; \
	else echo "coursekit: missing$$missing and we cannot install it (not root, no sudo)."; exit 0; fi; \
	echo "coursekit: installing Debian packages:$$missing"; \
	$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing \
	  || echo "coursekit: apt-get could not install$$missing."

lint: setup  ## ruff and mypy on src/ and tests/ (settings in pyproject.toml)
	ruff check src tests assignments/nbgrader_config.py
	mypy

test: setup chromium lint  ## lint, then run the whole test suite
	@mkdir -p test-artifacts
	@if python -c "import xdist" 2>/dev/null; then xdist="$(XDIST)"; else xdist=; fi; \
	python -m pytest $$xdist $(PYTEST_ARGS)

# The student's JupyterLab runs in an environment of its own, built from the wheel (what a
# student or a hub image installs), never from the instructor's editable checkout: it
# holds the public forms of graded questions, not their keys (assignments/bank/).
LAB_VENV := $(BUILD_DIR)/student-venv
LAB_DIST := $(BUILD_DIR)/dist

lab-env: setup  ## the student's environment: the built wheel and its locked dependencies in _build/student-venv
	rm -rf $(LAB_DIST)
	uv build --wheel --out-dir $(LAB_DIST)
	uv export --frozen --no-dev --no-hashes --no-emit-project --no-header -o $(BUILD_DIR)/student-constraints.txt
	@test -x $(LAB_VENV)/bin/python || uv venv --python $(VENV)/bin/python $(LAB_VENV)
	uv pip install --python $(LAB_VENV)/bin/python --reinstall-package coursekit \
	  -c $(BUILD_DIR)/student-constraints.txt $(LAB_DIST)/coursekit-*.whl
	@$(LAB_VENV)/bin/python -c "import coursekit, sys; print('coursekit: the student environment runs', coursekit.__file__)"

lab: lab-env  ## JupyterLab for a student, from the wheel, in LAB_DIR=student (released assignments copied there)
	coursekit assignments release
	coursekit assignments workspace --to $(LAB_DIR)
	@mkdir -p $(BUILD_DIR)/jupyter-student/labconfig
	@# A student sees the Assignments/Validate tools, not the instructor's formgrader.
	@printf '%s\n' '{"disabledExtensions": {"@jupyter/nbgrader:formgrader": true, "@jupyter/nbgrader:create-assignment": true, "@jupyter/nbgrader:course-list": true}}' \
	  > $(BUILD_DIR)/jupyter-student/labconfig/page_config.json
	cd $(LAB_DIR) && env -u COURSEKIT_BANK_PATH -u COURSEKIT_MODE PATH="$(CURDIR)/$(LAB_VENV)/bin:/usr/local/bin:/usr/bin:/bin" \
	  JUPYTER_CONFIG_PATH=$(CURDIR)/$(BUILD_DIR)/jupyter-student \
	  $(CURDIR)/$(LAB_VENV)/bin/jupyter lab --ServerApp.ip=$(HOST) --ServerApp.port=$(LAB_PORT) --ServerApp.root_dir=. --no-browser \
	  $(if $(filter 0,$(shell id -u)),--allow-root)

hub-proxy:  ## install JupyterHub's proxy (configurable-http-proxy) from npm when missing
	@if command -v configurable-http-proxy >/dev/null 2>&1 || [ -x $(HUB_NODE)/node_modules/.bin/configurable-http-proxy ]; then exit 0; fi; \
	command -v npm >/dev/null 2>&1 || { echo "coursekit: npm is needed for the hub's proxy (apt-get install npm)." >&2; exit 1; }; \
	echo "coursekit: installing configurable-http-proxy from npm into $(HUB_NODE)"; \
	npm install --prefix $(HUB_NODE) --no-audit --no-fund --loglevel=error configurable-http-proxy@5

hub: setup chromium hub-proxy  ## the course on a JupyterHub at http://127.0.0.1:$(HUB_PORT)/ (as root; see README)
	COURSEKIT_HUB_ROOT=$(HUB_ROOT) COURSEKIT_HUB_PORT=$(HUB_PORT) coursekit hub setup --repo .
	COURSEKIT_HUB_ROOT=$(HUB_ROOT) COURSEKIT_HUB_PORT=$(HUB_PORT) \
	  COURSEKIT_HUB_PROXY=$$(command -v configurable-http-proxy || echo $(CURDIR)/$(HUB_NODE)/node_modules/.bin/configurable-http-proxy) \
	  jupyterhub -f hub/jupyterhub_config.py

bench: setup  ## run every benchmarks/*.py (grading vs stock nbgrader, book builds, widget redraws)
	@shopt -s nullglob; files=(benchmarks/*.py); \
	if [ $${#files[@]} -eq 0 ]; then echo "coursekit: no benchmarks in benchmarks/"; exit 0; fi; \
	failed=; for f in "$${files[@]}"; do echo; echo "== $$f"; python "$$f" || failed="$$failed $$f"; done; \
	if [ -n "$$failed" ]; then echo; echo "coursekit: targets missed or runs failed in:$$failed"; exit 1; fi

vendor:  ## re-fetch the vendored offline JS (require.js, html-manager, MathJax) with npm
	@command -v npm >/dev/null 2>&1 || { echo "coursekit: npm is needed to refresh the vendored assets." >&2; exit 1; }
	bash src/coursekit/sphinx/vendor/fetch.sh

clean:  ## remove build outputs and test artifacts (keeps .venv)
	rm -rf $(BUILD_DIR) test-artifacts .pytest_cache
	find . -path ./.venv -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean  ## also remove .venv
	rm -rf .venv
