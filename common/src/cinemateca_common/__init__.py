"""Cinemateca shared library."""
