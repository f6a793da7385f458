# Cinemateca: the two contract commands are `make run` and `make test` (see README.md).
# `make run` reads DATA_DIR from the environment (default data/raw, as every command); the tests default to
# the development data beside the checkout.
TEST_DATA_DIR ?= ../shared/data

# uv is the one tool the commands need besides Python 3.11 and make: `make uv` (a prerequisite of run,
# test and lint) installs it from PyPI into the user's site when it is not on PATH, as .ci/run does.
USER_BIN := $(shell python3 -c 'import site; print(site.getuserbase())' 2>/dev/null)/bin
export PATH := $(HOME)/.local/bin:$(USER_BIN):$(PATH)

.PHONY: uv run test lint format etl train bench

uv:  ## install uv from PyPI (pip --user) when it is missing
	@command -v uv >/dev/null 2>&1 || { \
		echo "make: uv not found, installing it from PyPI (python3 -m pip install --user uv)"; \
		python3 -m pip install --quiet --user uv 2>/dev/null \
			|| python3 -m pip install --quiet --user --break-system-packages uv 2>/dev/null \
			|| python3 -m pip install --quiet uv; \
		command -v uv >/dev/null 2>&1 || { \
			echo "make: could not install uv: install it (https://docs.astral.sh/uv/) and rerun" >&2; \
			exit 1; }; \
		echo "make: installed $$(uv --version)"; }

run: uv  ## run the whole system locally (no Docker): ETL, training, query, recommender, gateway
	uv run --frozen python scripts/run_stack.py

test: uv lint  ## lint, type-check and run the whole test suite
	DATA_DIR="$${DATA_DIR:-$(TEST_DATA_DIR)}" uv run --frozen pytest

lint: uv
	uv run --frozen ruff check .
	uv run --frozen ruff format --check .
	uv run --frozen mypy

format:
	uv run --frozen ruff check --fix .
	uv run --frozen ruff format .

etl:  ## raw data -> processed data (skipped when the inputs are unchanged)
	uv run --frozen etl all

train:  ## processed data -> recommender models (skipped when unchanged)
	uv run --frozen train all

bench:  ## every benchmark, one after the other (minutes; prints figures and ratios)
	DATA_DIR="$${DATA_DIR:-$(TEST_DATA_DIR)}" sh -c 'for b in etl query recommender_quality recommender gateway; do uv run --frozen python -m bench.$$b || exit 1; done'

.PHONY: compose deploy-check

compose:  ## the whole system in containers (needs Docker); raw data mounted read-only from DATA_DIR
	docker compose up --build

deploy-check:  ## hadolint, compose files, image build steps, railway.json, observability files, supervisor
	uv run --frozen pytest tests/deploy
