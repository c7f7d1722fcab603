# coursekit: one entry point for readers, students, instructors and CI.
#
#   make book    build the course site (every page executed, warnings are errors)
#   make serve   serve the built site on http://127.0.0.1:$(PORT)/
#   make test    run the whole test suite (installs Debian chromium when it can)
#   make lab     JupyterLab for a student (from the built wheel), with nbgrader's extensions
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
# pytest options; XDIST is dropped automatically when pytest-xdist is unavailable.
XDIST ?= -n 2 --dist loadgroup
PYTEST_ARGS ?=
BUILD_DIR := _build
HTML_DIR := $(BUILD_DIR)/html
BOOK_LOG := $(BUILD_DIR)/book-build.log
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

.PHONY: help setup uv book serve test chromium lab lab-env bench clean distclean vendor

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

book: setup  ## build the course site into _build/html (warnings are errors)
	@mkdir -p $(BUILD_DIR)
	jupyter-book build . --all -W -n --keep-going 2>&1 | tee $(BOOK_LOG)
	@echo
	@echo "coursekit: the course site is in $(CURDIR)/$(HTML_DIR)/index.html"
	@echo "coursekit: browse it with 'make serve' (http://$(HOST):$(PORT)/)"

serve:  ## serve _build/html on 127.0.0.1 (PORT=8000)
	@test -f $(HTML_DIR)/index.html || { echo "coursekit: no built site in $(HTML_DIR); run 'make book' first." >&2; exit 1; }
	@echo "coursekit: serving $(HTML_DIR) on http://$(HOST):$(PORT)/ (Ctrl-C stops)"
	$(PYTHON) -m http.server $(PORT) --bind $(HOST) --directory $(HTML_DIR)

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

test: setup chromium  ## run the whole test suite
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

bench: setup  ## run every benchmarks/*.py
	@shopt -s nullglob; files=(benchmarks/*.py); \
	if [ $${#files[@]} -eq 0 ]; then echo "coursekit: no benchmarks in benchmarks/"; exit 0; fi; \
	for f in "$${files[@]}"; do echo "== $$f"; python "$$f"; done

vendor:  ## re-fetch the vendored offline JS (require.js, html-manager, MathJax) with npm
	@command -v npm >/dev/null 2>&1 || { echo "coursekit: npm is needed to refresh the vendored assets." >&2; exit 1; }
	bash src/coursekit/sphinx/vendor/fetch.sh

clean:  ## remove build outputs and test artifacts (keeps .venv)
	rm -rf $(BUILD_DIR) test-artifacts .pytest_cache
	find . -path ./.venv -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean  ## also remove .venv
	rm -rf .venv
