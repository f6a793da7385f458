# Cinemateca: the two contract commands are `make run` and `make test` (see README.md).
DATA_DIR ?= ../shared/data
export DATA_DIR

.PHONY: run test lint format etl train bench

run:  ## run the whole system locally (no Docker): ETL, training, query, recommender, gateway
	uv run --frozen python scripts/run_stack.py

test: lint  ## lint, type-check and run the whole test suite
	uv run --frozen pytest

lint:
	uv run --frozen ruff check .
	uv run --frozen ruff format --check .
	uv run --frozen mypy

format:
	uv run --frozen ruff check --fix .
	uv run --frozen ruff format .

etl:
	uv run --frozen etl all

.PHONY: compose deploy-check

compose:  ## the whole system in containers (needs Docker); raw data mounted read-only from DATA_DIR
	docker compose up --build

deploy-check:  ## hadolint, compose topology, image build steps, railway.json and the local-stack supervisor
	uv run --frozen pytest tests/deploy
