"""Benchmark of the movies + credits ETL on a full-scale generated input, against a naive baseline."""
