"""Record which tests reach which mutated function, for ``scripts/run_mutants.py --map``.

A mutant can only be killed by a test that calls its function. Running every mutant against a
whole test directory makes each survivor cost the directory; running it against the tests that
reach its function costs a few tests. This runs the tests you name once, with mutmut's
trampolines in their recording mode (``MUTANT_UNDER_TEST=stats``, as ``mutmut run`` does), and
writes a JSON map from each function's mangled name to the tests that reached it, each with its
call duration, fastest first:

    cd mutants && ../.venv/bin/python ../scripts/map_mutant_tests.py coverage.json tests/slack

A test that fails with no mutant switched on (one that inspects a wrapped function's signature,
say) would "kill" every mutant it reaches, so it is left out of the map and named.
Functions reached only in a child process (``paperbot ask``) or at import time are not seen:
their mutants get no test and are reported as such, never counted as killed.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from mutmut.mutation.trampoline import set_mutant_under_test
from mutmut.state import state


class ReachRecorder:
    """A pytest plugin that files each test under the functions its setup, call and teardown hit."""

    def __init__(self) -> None:
        self.tests_by_function: defaultdict[str, set[str]] = defaultdict(set)
        self.seconds_by_test: defaultdict[str, float] = defaultdict(float)
        self.failed: set[str] = set()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.seconds_by_test[report.nodeid] += report.duration
        if report.failed:
            self.failed.add(report.nodeid)
        if report.when == "teardown":
            for function in state()._stats:
                self.tests_by_function[function].add(report.nodeid)
            state()._stats.clear()

    def as_map(self) -> dict[str, list[list[object]]]:
        return {
            function: sorted(
                ([test, round(self.seconds_by_test[test], 3)] for test in tests - self.failed),
                key=lambda pair: (pair[1], pair[0]),
            )
            for function, tests in sorted(self.tests_by_function.items())
        }


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    target, tests = Path(argv[0]), argv[1:]
    set_mutant_under_test("stats")
    recorder = ReachRecorder()
    code = pytest.main(["-q", "-p", "no:cacheprovider", "-n", "0", *tests], plugins=[recorder])
    target.write_text(json.dumps(recorder.as_map(), indent=1))
    for test in sorted(recorder.failed):
        print(f"left out, as it fails with no mutant switched on: {test}")
    print(f"{len(recorder.tests_by_function)} functions reached; pytest exit code {int(code)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
