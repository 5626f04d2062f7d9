# Two commands for a fresh machine: `make demo` runs the main job on the embedded demo data,
# `make test` runs the whole test suite. Both create .venv at the project's root if it is missing, and install the
# pages' assets from the npm registry (`npm ci` of api/web/package-lock.json, then the GOV.UK Frontend build).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

WEB := api/web
ASSETS := $(WEB)/build/placewise.css

.PHONY: demo test bench lint assets

$(BIN)/placewise: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(BIN)/placewise

$(ASSETS): $(WEB)/package.json $(WEB)/package-lock.json $(WEB)/styles/placewise.scss
	npm ci --prefix $(WEB) --no-audit --no-fund --loglevel=error
	npm run --prefix $(WEB) --silent build
	touch $(ASSETS)

assets: $(ASSETS)

demo: $(BIN)/placewise $(ASSETS)
	$(BIN)/placewise demo

test: $(BIN)/placewise $(ASSETS)
	$(BIN)/ruff check core geodata matcher scenarios api tests bench
	$(BIN)/mypy --ignore-missing-imports core geodata matcher scenarios api
	$(BIN)/python -m pytest

bench: $(BIN)/placewise
	$(BIN)/python bench/cli.py
	$(BIN)/python bench/shortlist.py
	$(BIN)/python bench/travel.py
	$(BIN)/python bench/allocate.py
	$(BIN)/python bench/api.py
