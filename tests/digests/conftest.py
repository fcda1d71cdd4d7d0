"""Digest fixtures: a desk on each dialect (the ``db`` fixture runs SQLite, and PostgreSQL when
PAPERBOT_TEST_DATABASE_URL is set)."""

from __future__ import annotations

import logging

import pytest

from storage.db import Database
from tests.digests.helpers import Desk, make_desk


@pytest.fixture
def desk(db: Database) -> Desk:
    return make_desk(db)


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """What the digests log (``paperbot.digests``), debug lines included."""
    caplog.set_level(logging.DEBUG, logger="paperbot.digests")
    return caplog
