"""Run mutmut's mutants against chosen test files, all in one pytest process.

``mutmut run`` forks a fresh pytest for every mutant and runs every test that reaches the mutated
function; on a loaded machine the fork alone can outlast its timeout, and a survivor costs the
whole selection. This runs the mutants that ``mutmut run`` generated in ``mutants/`` (each is
switched on by ``MUTANT_UNDER_TEST``, as mutmut does) against the test files you name, and prints
one JSON line per mutant: its name, pytest's exit code (0: survived, 1: killed), seconds, and
the first test that failed. A narrower selection can only miss kills, never invent them.
A function that runs only at import time (a module constant built by a call) is never switched
on here, as the module is imported once: run its mutants in a fresh pytest each.

    cd mutants && ../.venv/bin/python ../scripts/run_mutants.py storage.db \\
        tests/storage/test_units_of_work.py tests/storage/test_connections.py
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import time
from pathlib import Path

import pytest


class FirstFailure:
    """A pytest plugin that keeps the id of the first test that failed."""

    def __init__(self) -> None:
        self.nodeid = ""

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.failed and not self.nodeid:
            self.nodeid = report.nodeid


def mutant_names(prefix: str) -> list[str]:
    """The mutants of module ``prefix`` (``storage.db``, or one function's ``storage.db.x_f``)."""
    module = prefix.split(".x_")[0].split(".xǁ")[0]
    meta = Path(module.replace(".", "/") + ".py.meta")
    names = json.loads(meta.read_text())["exit_code_by_key"]
    return [name for name in names if name.startswith(prefix)]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mutants", help="a module or function prefix, or a file of mutant names")
    parser.add_argument("tests", nargs="+", help="test files or ids to run against each mutant")
    args = parser.parse_args(argv)
    listed = Path(args.mutants)
    names = listed.read_text().split() if listed.is_file() else mutant_names(args.mutants)
    # `-n 0`: tests in this process, not in xdist workers (addopts has `-n auto`)
    options = ["-x", "-q", "-n", "0", "-p", "no:cacheprovider", "--hypothesis-profile=mutation"]
    for name in names:
        os.environ["MUTANT_UNDER_TEST"] = name
        first, started, output = FirstFailure(), time.monotonic(), io.StringIO()
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            code = pytest.main([*options, *args.tests], plugins=[first])
        seconds = round(time.monotonic() - started, 1)
        print(json.dumps({"name": name, "code": int(code), "s": seconds, "by": first.nodeid}))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
