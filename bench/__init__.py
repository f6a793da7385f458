"""Benchmarks: each subpackage runs with `uv run python -m bench.<name>` and prints figures and ratios."""
