"""Benchmark of the recommender at full scale (generated catalogue and ratings), against the usual dense approach."""
