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

With ``--map`` (a file written by ``scripts/map_mutant_tests.py``) each mutant runs only against
the tests that reach its function (``--most`` of them, each file's fastest first), narrowed to the
tests named if any; a mutant no test reaches is printed with code null ("no test reaches it"),
a survivor to list or to kill.
The first ``--first`` tests run alone, the rest only if the mutant survives them.
``--skip`` names files of mutants not to run: those mypy rejects (``type_check_mutants.py``),
or those an earlier run decided.
``--shard 1/2`` and ``--shard 2/2`` split the mutants between two processes, one per core.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import time
from itertools import zip_longest
from pathlib import Path

import pytest


class FirstFailure:
    """A pytest plugin that keeps the id of the first test that failed, and whether it failed by
    running out of time (pytest-timeout): on a loaded machine that can be the load, not the
    mutant, so such kills are counted apart."""

    def __init__(self) -> None:
        self.nodeid = ""
        self.timed_out = False

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.failed and not self.nodeid:
            self.nodeid = report.nodeid
            self.timed_out = "Timeout (>" in str(report.longrepr)


def mutant_names(prefix: str) -> list[str]:
    """The mutants of module ``prefix`` (``storage.db``, or one function's ``storage.db.x_f``)."""
    module = prefix.split(".x_")[0].split(".xǁ")[0]
    meta = Path(module.replace(".", "/") + ".py.meta")
    names = json.loads(meta.read_text())["exit_code_by_key"]
    return [name for name in names if name.startswith(prefix)]


def reaching_tests(
    name: str, reach: dict[str, list[list[object]]], named: list[str], most: int
) -> list[str]:
    """At most ``most`` of the tests that reach mutant ``name``'s function (within those
    ``named``): the fastest of each test file first, then each file's second, and so on, so a
    function a thousand tests reach is still tried by every file that exercises it."""
    function = name.partition("__mutmut_")[0]
    tests = [str(test) for test, _seconds in reach.get(function, [])]  # fastest first
    by_file: dict[str, list[str]] = {}
    for test in tests:
        if not named or test.startswith(tuple(named)):
            by_file.setdefault(test.partition("::")[0], []).append(test)
    rounds = zip_longest(*by_file.values())
    return [test for tried in rounds for test in tried if test is not None][:most]


def batches(tests: list[str], first: int) -> list[list[str]]:
    """The ``first`` tests alone, then the rest: most mutants fall to one of the first few,
    and a pytest run that collects a few files is much cheaper than one that collects dozens."""
    return [part for part in (tests[:first], tests[first:]) if part]


def in_shard(names: list[str], shard: str) -> list[str]:
    """Every n-th name from the i-th, for ``shard`` "i/n"."""
    index, count = (int(part) for part in shard.split("/"))
    return names[index - 1 :: count]


def warm_caches() -> None:
    """Build the tests' per-process caches (the sample catalog, a migrated SQLite file) with no
    mutant switched on: every mutant's session then copies them instead of spending seconds
    building its own, and none copies a catalog a mutant built. Their building code's mutants
    are killed only by tests that build their own catalog and database."""
    sys.path.insert(0, os.getcwd())  # mutants/: its copies shadow the checkout's installed code
    from tests.support import sample_template

    if not Path(sample_template.__file__).is_relative_to(Path.cwd()):
        raise SystemExit(f"run from mutants/, not from {Path.cwd()}")
    os.environ["MUTANT_UNDER_TEST"] = ""  # the trampolines run the original code
    sample_template.sample_catalog_template()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mutants", help="a module or function prefix, or a file of mutant names")
    parser.add_argument("tests", nargs="*", help="test files or ids to run against each mutant")
    parser.add_argument("--map", type=Path, help="which tests reach which function (JSON)")
    parser.add_argument("--shard", default="1/1", help="run the i-th of n shares: 'i/n'")
    parser.add_argument("--most", type=int, default=200, help="tests per mutant with --map")
    parser.add_argument("--first", type=int, default=4, help="tests tried alone before the rest")
    parser.add_argument(
        "--skip", type=Path, nargs="*", default=[],
        help="JSON lines of mutants not to run: rejected by mypy, or run before",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if not args.tests and args.map is None:
        parser.error("name the tests, or give --map")
    listed = Path(args.mutants)
    names = listed.read_text().split() if listed.is_file() else mutant_names(args.mutants)
    reach = json.loads(args.map.read_text()) if args.map else {}
    decided = {json.loads(line)["name"] for path in args.skip for line in path.open()}
    names = [name for name in names if name not in decided]
    # `-n 0`: tests in this process, not in xdist workers (addopts has `-n auto`)
    options = ["-x", "-q", "-n", "0", "-p", "no:cacheprovider", "--hypothesis-profile=mutation"]
    warm_caches()
    for name in in_shard(names, args.shard):
        tests = reaching_tests(name, reach, args.tests, args.most) if args.map else args.tests
        if not tests:
            print(json.dumps({"name": name, "code": None, "s": 0, "by": "no test reaches it"}))
            continue
        os.environ["MUTANT_UNDER_TEST"] = name
        first, started, output = FirstFailure(), time.monotonic(), io.StringIO()
        for batch in batches(tests, args.first):
            with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
                code = pytest.main([*options, *batch], plugins=[first])
            if code != 0:
                break
        seconds = round(time.monotonic() - started, 1)
        said = {"name": name, "code": int(code), "s": seconds, "by": first.nodeid}
        print(json.dumps(said | ({"timeout": True} if first.timed_out else {})))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
