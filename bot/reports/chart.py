"""The report's chart: the team's votes per day over four weeks, as a PNG.

matplotlib is imported here, inside ``votes_chart``, and only when a report is drawn: it costs
about a second and some 30 MB, which no other path of paperbot should pay. It draws through the
Agg canvas on a ``Figure`` of its own (no pyplot, no global figure state), so reports drawn in
worker threads at once do not share anything.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WIDTH, HEIGHT, DPI = 8.0, 3.0, 100  # inches, inches, dots per inch: an 800 x 300 image


def votes_chart(per_day: Sequence[tuple[date, int]], title: str) -> bytes:
    """A bar a day (weekends lighter), the days as dates under every seventh bar."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    canvas = FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = range(len(per_day))
    colours = ["#b8c4d6" if day.weekday() >= 5 else "#3b6ea8" for day, _ in per_day]
    axes.bar(positions, [count for _, count in per_day], color=colours)
    ticks = [i for i in positions if (len(per_day) - 1 - i) % 7 == 0]
    axes.set_xticks(ticks, [f"{per_day[i][0]:%d %b}" for i in ticks])
    axes.set_ylabel("votes")
    axes.set_title(title)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    out = io.BytesIO()
    canvas.print_figure(out, format="png", dpi=DPI)
    return out.getvalue()
