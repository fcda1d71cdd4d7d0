"""Test helpers: databases on each dialect, recording fakes, ready-made deps."""
