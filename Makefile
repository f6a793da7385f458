# Cinemateca: the two contract commands are `make run` and `make test` (see README.md).
# `make run` reads DATA_DIR from the environment (default data/raw, as every command); the tests default to
# the development data beside the checkout.
TEST_DATA_DIR ?= ../shared/data

.PHONY: run test lint format etl train bench

run:  ## run the whole system locally (no Docker): ETL, training, query, recommender, gateway
	uv run --frozen python scripts/run_stack.py

test: lint  ## lint, type-check and run the whole test suite
	DATA_DIR="$${DATA_DIR:-$(TEST_DATA_DIR)}" uv run --frozen pytest

lint:
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

deploy-check:  ## hadolint, compose topology, image build steps, railway.json and the local-stack supervisor
	uv run --frozen pytest tests/deploy
