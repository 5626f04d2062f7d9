# Two commands for a fresh machine: `make demo` runs the main job on the embedded demo data,
# `make test` runs lint, the whole test suite, the SBOM and the dependency vulnerability scan. Both create .venv at
# the project's root if it is missing, and install the pages' assets from the npm registry (`npm ci` of
# api/web/package-lock.json, then the GOV.UK Frontend build).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

WEB := api/web
ASSETS := $(WEB)/build/placewise.css

SBOM := docs/security/sbom.cdx.json
SBOM_WEB := docs/security/sbom-web.cdx.json

.PHONY: demo test bench lint assets sbom audit container

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
	$(BIN)/ruff check core geodata matcher scenarios api tests bench tools deploy
	$(BIN)/mypy --ignore-missing-imports core geodata matcher scenarios api
	$(BIN)/hadolint Dockerfile
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory sbom audit

# The software bill of materials (CycloneDX JSON) of the Python environment make builds, and of the pages' npm
# packages as the app serves them (without the build tools); the container image carries its own, made in its build.
sbom: $(BIN)/placewise $(ASSETS)
	$(BIN)/cyclonedx-py environment --pyproject pyproject.toml --mc-type application --output-reproducible \
		--of JSON -o $(SBOM) $(VENV)
	@if npm sbom --help >/dev/null 2>&1; then \
		npm sbom --prefix $(WEB) --sbom-format cyclonedx --omit dev --sbom-type application > $(SBOM_WEB) \
		&& echo "SBOM: $(SBOM) and $(SBOM_WEB)"; \
	else echo "SBOM: $(SBOM); the pages' SBOM SKIPPED: npm $$(npm --version) has no 'npm sbom' (9.5 or later has)"; fi

# Known vulnerabilities in the installed packages (pip-audit): fails on one with a fix; says SKIPPED where its
# vulnerability service cannot be reached.
audit: $(BIN)/placewise
	$(BIN)/python tools/dependency_audit.py

# The container image built and smoke-tested under compose where a Docker engine answers; skipped, saying so, where not.
container:
	bash deploy/container-check.sh

bench: $(BIN)/placewise
	$(BIN)/python bench/cli.py
	$(BIN)/python bench/shortlist.py
	$(BIN)/python bench/travel.py
	$(BIN)/python bench/allocate.py
	$(BIN)/python bench/api.py
