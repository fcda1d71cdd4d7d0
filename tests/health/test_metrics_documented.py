"""The README's table of metrics names every metric /metrics exports, and no other."""

from __future__ import annotations

import re
from pathlib import Path

from prometheus_client import CollectorRegistry

from bot.cli.health import PrometheusMetrics

README = Path(__file__).resolve().parents[2] / "README.md"


def documented() -> set[str]:
    """The metric names in the first column of the README's ``| metric |`` table."""
    table = README.read_text(encoding="utf-8").split("\n| metric |", 1)[1].split("\n\n", 1)[0]
    return {
        name
        for cell in re.findall(r"^\| (.+?) \|", table, re.MULTILINE)
        for name in re.findall(r"`(paperbot_\w+)", cell)
    }


def test_the_readme_lists_every_exported_metric() -> None:
    registry = CollectorRegistry()
    PrometheusMetrics(registry)
    exported = set()
    for family in registry.collect():
        kind = family.type
        exported.add(f"{family.name}_total" if kind == "counter" else family.name)
    assert documented() == exported
