"""Cinemateca ETL."""
