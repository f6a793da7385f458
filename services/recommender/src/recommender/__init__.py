"""Cinemateca recommender service."""
