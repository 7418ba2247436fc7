"""Benchmarks (not tests): each prints one JSON object per figure."""
