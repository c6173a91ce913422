# The project's commands. Quick start: `make serve` (set up and serve the site) and
# `make test` (set up and run the whole test suite). Both work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi

.PHONY: serve test setup test-setup translations extract-messages update-catalogues \
        compile-catalogues check-catalogues load-events reset-db build-brochures benchmark fuzz clean

serve: setup
	$(BIN)/iassist-serve

# Lint, format check and type check (configured in pyproject.toml), then the test suite.
test: test-setup
	$(BIN)/ruff check webapp tools
	$(BIN)/ruff format --check webapp tools
	$(BIN)/mypy
	$(BIN)/pytest

# A virtualenv with the project and its test tools, rebuilt when pyproject.toml changes.
$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

setup: $(BIN)/.installed compile-catalogues
	bash scripts/system-deps.sh

test-setup: $(BIN)/.installed compile-catalogues
	bash scripts/system-deps.sh --test

# Translation workflow (see README): extract -> update -> translate -> compile -> check.
extract-messages: $(BIN)/.installed
	$(FLASK) translate extract

update-catalogues: $(BIN)/.installed
	$(FLASK) translate update

compile-catalogues: $(BIN)/.installed
	$(FLASK) translate compile

check-catalogues: $(BIN)/.installed
	$(FLASK) translate check

# LOAD_ARGS: e.g. --dry-run (print the changes, write nothing), --allow-removals.
load-events: $(BIN)/.installed
	$(FLASK) load-events $(LOAD_ARGS)

# After a change of the models: rebuild the store from the bundled data (all or nothing).
reset-db: $(BIN)/.installed
	$(FLASK) reset-db

build-brochures: setup
	$(FLASK) build-brochures

# The seeded HTTP fuzzer (tools/fuzz.py) against a throwaway copy of the site.
fuzz: setup
	$(BIN)/python tools/fuzz.py --requests 10000

benchmark: setup
	$(BIN)/python tools/benchmark.py

clean:
	rm -rf $(VENV) instance translations/*/LC_MESSAGES/*.mo
