"""Benchmarks: speed and memory, measured (see README)."""
