"""First start: ``paperbot shell`` on an empty SQLite database, against the plain anchor doing
the same work (bench/plain_anchors.py: stdlib json and sqlite3 load the bundled sample, a plain
tantivy index of it, a prompt). Two figures each, both including the interpreter's start: until
the prompt is up, and until the first search (``search linear attention``) has been answered and
the program has ended. paperbot builds its index while its prompt is up; the anchor before.

    .venv/bin/python bench/first_start.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.plain_anchors import PROMPT  # noqa: E402
from bench.side_by_side import alternate, report  # noqa: E402

BANNER = "paperbot — type"  # the shell's first line, printed with its first prompt
SEARCH = "linear attention"


def paperbot_env(database: Path) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith("PAPERBOT_")}
    return {**kept, "PAPERBOT_DATABASE_URL": f"sqlite:///{database}", "PAPERBOT_OFFLINE": "1"}


def session(command: Sequence[str], ready: str, line: str, **kwargs: object) -> tuple[float, float]:
    """Seconds until ``ready`` is printed, and until ``line`` is answered and the program ends."""
    started = time.perf_counter()
    process = subprocess.Popen(  # type: ignore[call-overload]
        list(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, **kwargs
    )
    assert process.stdin is not None
    assert process.stdout is not None
    for printed in process.stdout:
        if ready in printed:
            break
    prompt = time.perf_counter() - started
    process.stdin.write(line + "\n")
    process.stdin.close()
    answer = process.stdout.read()
    if process.wait() != 0 or "attention" not in answer.lower():
        raise SystemExit(f"{command[1:3]} failed: {answer[-500:]}")
    return prompt, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="paperbot-first-start-") as folder:
        counter = iter(range(10**6))
        answered: dict[str, list[float]] = {"paperbot": [], "anchor": []}

        def fresh() -> Path:
            run = Path(folder) / f"run-{next(counter)}"
            run.mkdir()
            return run

        def paperbot() -> float:
            shell = [sys.executable, "-m", "bot", "shell"]
            env = paperbot_env(fresh() / "paperbot.db")
            prompt, done = session(shell, BANNER, f"search {SEARCH}", env=env)
            answered["paperbot"].append(done)
            return prompt

        def anchor() -> float:
            run = fresh()
            anchors = str(ROOT / "bench" / "plain_anchors.py")
            plain = [sys.executable, anchors, "first-start", str(run / "plain.db"), str(run / "ix")]
            prompt, done = session(plain, PROMPT, SEARCH)
            answered["anchor"].append(done)
            return prompt

        ours, plain, loads = alternate(args.rounds, paperbot, anchor)
        report(
            "first start, until the prompt (sample + prompt; index behind it)", ours, plain, loads
        )
        report(
            f"first start, until '{SEARCH}' is answered (sample + index + search)",
            answered["paperbot"],
            answered["anchor"],
            loads,
        )


if __name__ == "__main__":
    main()
