"""Benchmarks that print figures against the budgets in docs/benchmarks.md; never tests."""
