"""CLI latency: ``paperbot ask "/papers search linear attention"`` on an existing database with
its search index kept, against the plain anchor (bench/plain_anchors.py ask: open the SQLite
file and a plain tantivy index, print the top 10). Both are whole processes, interpreter
start included; setting both up (one search each) is not measured.

    .venv/bin/python bench/cli_latency.py [--rounds 10] [--query "linear attention"]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.first_start import paperbot_env  # noqa: E402
from bench.side_by_side import alternate, report, timed  # noqa: E402

ANCHORS = str(ROOT / "bench" / "plain_anchors.py")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--query", default="linear attention")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="paperbot-cli-") as name:
        folder = Path(name)
        env = paperbot_env(folder / "paperbot.db")
        ask = [sys.executable, "-m", "bot", "ask", f"/papers search {args.query}"]
        plain = [sys.executable, ANCHORS, "ask", str(folder / "plain.db"), str(folder / "ix")]
        quiet = {"stdout": subprocess.DEVNULL, "stdin": subprocess.DEVNULL}
        timed(ask, env=env, **quiet)  # loads the sample, builds the index
        timed([sys.executable, ANCHORS, "first-start", *plain[3:5]], **quiet)

        def paperbot() -> float:
            return timed(ask, env=env, **quiet)

        def anchor() -> float:
            return timed([*plain, args.query], **quiet)

        what = f'ask "/papers search {args.query}" (kept index)'
        report(what, *alternate(args.rounds, paperbot, anchor))


if __name__ == "__main__":
    main()
