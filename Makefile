# The two commands a newcomer needs: `make serve` and `make test`.
# Everything installs into .venv on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: serve test fuzz bench check format schema install clean prerequisites-serve prerequisites-test

$(BIN)/smartcity: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# The explorer's and the programme page's browser assets, from the npm registry, exactly as
# web/package-lock.json pins them: the server serves them itself, never from a CDN.
web/node_modules/.package-lock.json: web/package-lock.json
	npm ci --prefix web --no-audit --no-fund
	touch $@

install: $(BIN)/smartcity web/node_modules/.package-lock.json

# What the system must have, checked (and installed where this user may) before anything
# else, so that a missing program is named in a second, not after minutes of installing.
prerequisites-serve:
	@scripts/prerequisites serve

prerequisites-test:
	@scripts/prerequisites test

## serve: create, migrate and seed the SQLite database on first run, then serve on :8000
serve: prerequisites-serve install
	$(BIN)/smartcity serve

## test: the whole suite on SQLite and on a throwaway PostgreSQL server (and Redis)
test: prerequisites-test install
	scripts/with-test-services $(BIN)/pytest

## fuzz: the nightly-size fuzz run: ten times CI's examples, new ones each run (about 30 min),
## the compiled queries' differential test (3,000 generated queries per database) included
fuzz: install
	SMARTCITY_FUZZ_EXAMPLES=10 SMARTCITY_FUZZ_RANDOM=1 \
		scripts/with-test-services $(BIN)/pytest tests/test_fuzz.py tests/test_compiled.py

## bench: ours beside PostGraphile 5 and a hand-written SQL floor on a throwaway PostgreSQL
## (about 14 minutes; needs Debian's wrk). Options: make bench BENCH_ARGS="--duration 5"
bench: install
	@command -v wrk >/dev/null || { echo "bench: wrk is missing: apt-get install wrk" >&2; exit 1; }
	$(BIN)/pip install --quiet -r bench/requirements.txt
	$(BIN)/python bench/speed.py $(BENCH_ARGS)

## check: formatting, lint and type check in one go
check: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy .

## schema: write the schema the code builds to schema/schema.graphql (the tests compare them)
## and list what changed since the last release (schema/releases/)
schema: install
	$(BIN)/smartcity schema > schema/schema.graphql
	$(BIN)/smartcity schema --against $$(ls schema/releases/*.graphql | sort -V | tail -1)

## format: rewrite files to the project's format and fix what ruff can
format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var web/node_modules bench/postgraphile/node_modules
