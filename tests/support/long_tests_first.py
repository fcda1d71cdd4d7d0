"""Tests marked ``runs_long`` (minutes on a busy machine: several processes, elections) run first.

xdist hands tests out in collection order; one that starts late keeps its worker busy long
after the other has finished the rest. Started first, it runs while the other worker takes
the short tests, and the two finish together.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "runs_long: minutes on a busy machine; run it first")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("runs_long") is None)  # stable
