"""Timing paperbot against its plain anchor in one run, alternately, so both share the load.

The machine these benches run on is shared, so an absolute figure says little; what counts is
the ratio to the plainest program doing the same work, measured in the same minutes. Each round
runs paperbot, then the anchor (or the other way round on odd rounds), and the figures printed
are medians, with the load average of the run. paperbot's own modules are byte-compiled first,
as ``pip install`` compiles them: a checkout run with PYTHONDONTWRITEBYTECODE (as on the bench
machine) would otherwise compile 140 modules from source at every start, about 0.2 s that no
installed paperbot spends.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "storage", "adapters")


def timed(command: Sequence[str], **kwargs: object) -> float:
    """Wall-clock seconds of a process, from start to exit; it must succeed."""
    started = time.perf_counter()
    subprocess.run(list(command), check=True, **kwargs)  # type: ignore[call-overload]
    return time.perf_counter() - started


def alternate(
    rounds: int, paperbot: Callable[[], float], anchor: Callable[[], float]
) -> tuple[list[float], list[float], list[float]]:
    """``rounds`` of both, alternating which goes first; their seconds, and the load averages."""
    for package in PACKAGES:  # as installed; writes the bytecode even under PYTHONDONTWRITEBYTECODE
        compileall.compile_dir(ROOT / package, quiet=1)
    ours: list[float] = []
    plain: list[float] = []
    loads: list[float] = []
    for number in range(rounds):
        pair = [(paperbot, ours), (anchor, plain)]
        for run, into in pair if number % 2 == 0 else reversed(pair):
            into.append(run())
        loads.append(os.getloadavg()[0])
    return ours, plain, loads


def report(what: str, ours: list[float], plain: list[float], loads: list[float]) -> str:
    """One line: the ratio first, then both medians and ranges, then the load."""
    ratio = statistics.median(ours) / statistics.median(plain)
    line = (
        f"{what}: ratio {ratio:.2f}x | paperbot {spread(ours)} | anchor {spread(plain)} | "
        f"load {min(loads):.1f}-{max(loads):.1f} (2 cores) | {len(ours)} rounds"
    )
    print(line, flush=True)
    return line


def spread(seconds: list[float]) -> str:
    median = statistics.median(seconds)
    if median < 1:
        return f"{median * 1000:.0f} ms ({min(seconds) * 1000:.0f}-{max(seconds) * 1000:.0f})"
    return f"{median:.2f} s ({min(seconds):.2f}-{max(seconds):.2f})"
