"""Benchmarks (`make bench`): performance goals measured as ratios against a baseline run in the same session."""
