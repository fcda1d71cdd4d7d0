"""Shared fixtures: migrated databases on each dialect, the sample catalog, deps for the core."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from hypothesis import Phase
from hypothesis import settings as hypothesis_settings
from prometheus_client import CollectorRegistry

from bot.cli.health import PrometheusMetrics
from bot.commands.dispatch import Dispatcher
from bot.commands.table import build_dispatcher
from bot.deps import Deps
from bot.model import Paper
from bot.settings import Settings
from loopback.ports import FakeSource, FixedClock
from loopback.slack import FakeSlack
from storage.db import Database
from storage.papers import upsert_papers
from tests.support import sample_template
from tests.support.databases import DIALECTS, copy_catalog, migrated_database

# With PAPERBOT_TEST_DATABASE_URL set, a skipped PostgreSQL test fails the run; long tests first.
pytest_plugins = ["tests.support.postgres_required", "tests.support.long_tests_first"]

# Mutation runs (docs/testing.md) only need to know that a property fails, not its smallest
# counterexample: shrinking a failure can take a minute per mutant.
hypothesis_settings.register_profile(
    "mutation", phases=[Phase.explicit, Phase.reuse, Phase.generate], print_blob=False
)


@pytest.fixture(scope="session")
def sample_papers() -> list[Paper]:
    return list(sample_template.sample_papers())


@pytest.fixture(params=DIALECTS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty, migrated database, once on SQLite and once on PostgreSQL (when reachable)."""
    with migrated_database(request.param, tmp_path) as database:
        yield database


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    with migrated_database("sqlite", tmp_path) as database:
        yield database


@pytest.fixture(scope="session", params=DIALECTS)
def sample_catalog(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    sample_papers: list[Paper],
) -> Iterator[Database]:
    """The bundled sample loaded once per dialect; read-only: tests must not write to it. On
    SQLite a copy of ``sample_catalog_file``, whose search index is already built."""
    folder = tmp_path_factory.mktemp("catalog")
    if request.param == "sqlite":
        template = request.getfixturevalue("sample_catalog_file")
        database = Database(f"sqlite:///{copy_catalog(template, folder / 'catalog.db')}")
        yield database
        database.dispose()
        return
    with migrated_database(request.param, folder) as database:
        database.write_now(lambda s: upsert_papers(s, sample_papers))
        yield database


@pytest.fixture(scope="session")
def sample_catalog_file() -> Path:
    """The sample stored once per process (tests/support/sample_template.py); copy, never write."""
    return sample_template.sample_catalog_template()


@pytest.fixture
def catalog_db(sample_catalog_file: Path, tmp_path: Path) -> Iterator[Database]:
    """A private, writable SQLite copy of the sample catalog."""
    copy = copy_catalog(sample_catalog_file, tmp_path / "catalog.db")
    database = Database(f"sqlite:///{copy}")
    yield database
    database.dispose()


@pytest.fixture
def fake_source() -> FakeSource:
    return FakeSource()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def deps(catalog_db: Database, fake_source: FakeSource, clock: FixedClock) -> Deps:
    settings = Settings(database_url=catalog_db.url, timezone="UTC")
    return Deps(settings=settings, db=catalog_db, source=fake_source, clock=clock)


@pytest.fixture(scope="session")
def dispatcher() -> Dispatcher:
    return build_dispatcher()


@pytest.fixture
def metrics() -> PrometheusMetrics:
    """A Prometheus registry of the test's own (health, and adapters' API errors)."""
    return PrometheusMetrics(CollectorRegistry())


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def machine_in_new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local zone is not UTC (as on a laptop), for as long as the test runs."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
