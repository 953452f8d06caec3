"""The DDP page's views, one module each: settings, world, live, replay, equivalence, buckets, measured, wire,
walk, yours."""
