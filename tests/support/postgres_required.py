"""With PAPERBOT_TEST_DATABASE_URL set, a skipped PostgreSQL test is a failed one.

A test runs on PostgreSQL when it carries the ``postgres`` marker or one of its parameters is
``"postgresql"`` (the ``db`` and ``sample_catalog`` fixtures, a ``dialect`` argument). Once the
developer or CI has said a server is there, such a test skipping means it did not test what it
claims, so the run must not pass (.ci/run relies on this). Without the variable they skip as
before, with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.databases import PG_ENV, postgres_url


def runs_on_postgres(item: pytest.Item) -> bool:
    if item.get_closest_marker("postgres") is not None:
        return True
    callspec = getattr(item, "callspec", None)
    return callspec is not None and "postgresql" in callspec.params.values()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    if not report.skipped or hasattr(report, "wasxfail"):
        return
    if postgres_url() is None or not runs_on_postgres(item):
        return
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    report.outcome = "failed"
    report.longrepr = f"a PostgreSQL test was skipped although {PG_ENV} is set: {reason}"
