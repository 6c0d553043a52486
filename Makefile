# The two set-up commands: `make serve` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
INDEX := index
SEEDS := $(wildcard seeds/*)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: serve test test-under-load index update clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Rebuilt when missing or older than any article in seeds/ (current/ is a symlink
# to the live generation, so its build.json is as old as the index).
$(INDEX)/current/build.json: $(SEEDS) | $(INSTALLED)
	$(BIN)/python -m indexer build seeds --index $(INDEX)

index: $(INDEX)/current/build.json

# Adds, re-indexes and removes only what changed in seeds/ since the last build or
# update; a running server picks the result up without a restart.
update: | $(INSTALLED)
	$(BIN)/python -m indexer update seeds --index $(INDEX)

serve: $(INSTALLED) index
	$(BIN)/arabic-search serve --index $(INDEX) --host $(HOST) --port $(PORT)

test: $(INSTALLED)
	$(BIN)/python -m pytest

# The suite beside a busy process on every core: no test may need an idle machine.
test-under-load: $(INSTALLED)
	$(BIN)/python tests/cpu_hog.py $(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(INDEX)
