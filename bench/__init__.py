"""Benchmarks that print figures (DESIGN section 8); run them as scripts, never as tests."""
