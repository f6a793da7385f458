"""Cinemateca gateway."""
