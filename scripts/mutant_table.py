"""Sum up ``scripts/run_mutants.py`` output as the per-module table in docs/testing.md.

Reads the JSON lines of one or more runs (a later line for the same mutant wins, so a re-run
after a new test replaces the old result, except that a mutant mypy rejects stays rejected) and
prints a Markdown row per module: mutants, killed (by a test, and of those by a timeout), rejected
by mypy (``scripts/type_check_mutants.py``), surviving (a test ran and passed), reached by no
test, and the share killed or rejected. With ``--survivors`` it lists the names of those neither
killed nor rejected, for ``mutmut show``. ``--within`` keeps the modules under the prefixes given.

    .venv/bin/python scripts/mutant_table.py typed.jsonl run-*.jsonl --within adapters bot.facade
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path


def latest_results(paths: list[Path]) -> dict[str, dict[str, object]]:
    """Each mutant's last result across the files, in the order given."""
    results: dict[str, dict[str, object]] = {}
    for path in paths:
        for line in path.read_text().splitlines():
            if line.startswith("{"):
                result = json.loads(line)
                name = str(result["name"])
                if not results.get(name, {}).get("types"):
                    results[name] = result
    return results


def module_of(name: str) -> str:
    """``adapters.slack.app`` for ``adapters.slack.app.xǁSlackAppǁrun__mutmut_3``."""
    return name.partition("__mutmut_")[0].rpartition(".")[0]


def outcome(result: dict[str, object]) -> str:
    """killed (tests failed), timeout (killed by running out of time), types (mypy rejects it),
    survived (tests passed) or untested (no test reaches it)."""
    if result.get("types"):
        return "types"
    if result["code"] is None:
        return "untested"
    if result["code"] == 0:
        return "survived"
    return "timeout" if result.get("timeout") else "killed"


def table(results: dict[str, dict[str, object]]) -> list[str]:
    counts: dict[str, Counter[str]] = {}
    for name, result in results.items():
        counts.setdefault(module_of(name), Counter())[outcome(result)] += 1
    rows = [
        "| module | mutants | killed by tests | of them by timeout | rejected by mypy | survived"
        " | no test | killed or rejected |",
        "|---|---|---|---|---|---|---|---|",
    ]
    total: Counter[str] = Counter()
    for module, count in sorted(counts.items()):
        total.update(count)
        rows.append(_row(f"`{module}`", count))
    rows.append(_row("**all**", total))
    return rows


def _row(label: str, count: Counter[str]) -> str:
    mutants, killed = sum(count.values()), count["killed"] + count["timeout"]
    share = 100 * (killed + count["types"]) / mutants if mutants else 0.0
    cells = [label, mutants, killed, count["timeout"], count["types"], count["survived"]]
    cells.append(count["untested"])
    cells.append(f"{share:.1f}%")
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", type=Path, help="JSON lines from run_mutants.py")
    parser.add_argument("--survivors", action="store_true", help="list what was not killed")
    parser.add_argument("--within", nargs="*", default=[], help="module prefixes to keep")
    args = parser.parse_args(argv)
    results = {
        name: result
        for name, result in latest_results(args.runs).items()
        if not args.within or module_of(name).startswith(tuple(args.within))
    }
    if args.survivors:
        kept = ("survived", "untested")
        lines = [name for name, result in sorted(results.items()) if outcome(result) in kept]
    else:
        lines = table(results)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
