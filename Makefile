# One entry point for people and CI: `make demo`, `make test`.
# Everything is installed into the project folder (.tools/ for uv, .venv/ for mda), idempotently.

PYTHON ?= python3
UV_VERSION := 0.13.8
UV := .tools/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
# byte-compile the installed packages and the sources at set-up, so no command pays for
# compiling them (an environment may forbid Python to write bytecode while it runs)
export UV_COMPILE_BYTECODE := 1
COMPILE_SOURCES = .venv/bin/python -m compileall -q -j0 src dags

.PHONY: setup setup-dev assets fonts browser demo test lint typecheck unit clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

## set up the runtime only (no test tools), with the map assets and the charts' fonts
setup: $(UV) assets fonts
	$(UV) sync --frozen --no-dev --python $(PYTHON)
	$(COMPILE_SOURCES)

## Leaflet and Leaflet.heat from the npm registry (pinned in assets/package-lock.json), inlined into maps
assets: assets/node_modules/.package-lock.json

assets/node_modules/.package-lock.json: assets/package.json assets/package-lock.json
	cd assets && npm ci --no-audit --no-fund
	touch $@

## Debian's DejaVu fonts, which the PNG charts are drawn with (installed as root when missing)
fonts:
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf || { apt-get update && apt-get install -y fonts-dejavu-core; }

## Debian's chromium for the browser tests (installed as root when missing)
browser:
	@test -x /usr/bin/chromium || { apt-get update && apt-get install -y chromium; }

## set up the runtime and the test/lint tools
setup-dev: $(UV) assets fonts
	$(UV) sync --frozen --all-extras --python $(PYTHON)
	$(COMPILE_SOURCES)

## simulate a strait day and run the whole pipeline on it into ./demo
demo: setup
	.venv/bin/mda demo --dir demo

lint: setup-dev
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

typecheck: setup-dev
	.venv/bin/mypy

## lint, type-check and run every test (slow ones included)
test: lint typecheck browser
	.venv/bin/pytest

clean:
	rm -rf .venv .tools demo .pytest_cache .mypy_cache .ruff_cache
