"""Benchmark of the query statistics: ``uv run python -m bench.query``."""
