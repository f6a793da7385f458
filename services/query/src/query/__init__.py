"""Cinemateca query service."""
