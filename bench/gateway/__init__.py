"""Gateway load benchmark: cached and uncached paths through the gateway, and the services directly."""
