"""Developer tools (not part of the site): converters, benchmark, deployment helpers."""
