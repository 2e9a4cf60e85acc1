# Recommerce: `make demo` runs the demo, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Every install takes exactly the versions in these locks (hashes checked); pyproject.toml
# keeps the ranges, `make lock` resolves them again. docs/dependencies.md says more.
LOCK := requirements/base.txt
LOCK_TEST := requirements/test.txt
PIP_VERSION := 26.3
PIP_TOOLS_VERSION := 7.6.2
PIP_INSTALL := $(BIN)/python -m pip install --quiet --require-hashes --no-deps
# The project itself is installed from the source tree with the locked setuptools.
INSTALL_SELF := $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .

.PHONY: demo test install install-test check format lock test-latest bench-s bench-m clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip==$(PIP_VERSION)

$(VENV)/.installed: $(LOCK) pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) -r $(LOCK)
	$(INSTALL_SELF)
	@touch $@

$(VENV)/.installed-test: $(LOCK_TEST) pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) -r $(LOCK_TEST)
	$(INSTALL_SELF)
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## demo: install, migrate the SQLite database under var/, load the demo data once, serve.
demo: $(VENV)/.installed
	$(BIN)/recommerce demo

## test: install the test extras and run the whole suite.
test: $(VENV)/.installed-test
	$(BIN)/pytest

## check: the static checks CI runs.
check: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## lock: resolve pyproject.toml's ranges again into the two lock files (with hashes).
LOCK_TOOL := .venv-lock/bin/pip-compile
COMPILE := $(LOCK_TOOL) --quiet --generate-hashes --allow-unsafe --strip-extras \
	--build-deps-for editable --no-emit-index-url --no-emit-find-links --no-emit-trusted-host
$(LOCK_TOOL):
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet pip-tools==$(PIP_TOOLS_VERSION)

# The app's lock is constrained by the test lock, so both hold the same versions.
lock: | $(LOCK_TOOL)
	@mkdir -p requirements
	$(COMPILE) --upgrade --extra test -o $(LOCK_TEST) pyproject.toml
	$(COMPILE) --upgrade -c $(LOCK_TEST) -o $(LOCK) pyproject.toml

## test-latest: the suite against the newest versions pyproject.toml allows, in .venv-latest.
test-latest:
	rm -rf .venv-latest
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install --quiet --upgrade pip
	.venv-latest/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[test]'
	.venv-latest/bin/python -m pip list --format freeze > .venv-latest/versions.txt
	RECOMMERCE_TEST_LATEST=1 .venv-latest/bin/pytest

clean:
	rm -rf $(VENV) .venv-lock .venv-latest var .pytest_cache .mypy_cache .ruff_cache artifacts
