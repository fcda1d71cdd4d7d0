"""Test helpers: databases on each dialect, processes, invocation; fakes live in loopback/."""
