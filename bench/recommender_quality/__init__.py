"""Offline evaluation of the recommender on MovieLens ratings, with baselines and the weight grid."""
