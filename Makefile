# Two commands for a fresh machine: `make demo` runs the main job on the embedded demo data,
# `make test` runs the whole test suite. Both create .venv at the project's root if it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test bench lint

$(BIN)/placewise: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(BIN)/placewise

demo: $(BIN)/placewise
	$(BIN)/placewise demo

test: $(BIN)/placewise
	$(BIN)/ruff check core geodata matcher scenarios api tests bench
	$(BIN)/mypy --ignore-missing-imports core geodata matcher scenarios api
	$(BIN)/python -m pytest

bench: $(BIN)/placewise
	$(BIN)/python bench/cli.py
	$(BIN)/python bench/shortlist.py
	$(BIN)/python bench/travel.py
	$(BIN)/python bench/allocate.py
	$(BIN)/python bench/api.py
