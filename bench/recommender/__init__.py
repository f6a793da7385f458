"""Benchmark of the recommender on a full-size generated movies catalogue, against the usual dense approach."""
