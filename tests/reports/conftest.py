"""Report fixtures: the digest tests' desk, on each dialect."""

from __future__ import annotations

import pytest

from storage.db import Database
from tests.digests.helpers import Desk, make_desk


@pytest.fixture
def desk(db: Database) -> Desk:
    return make_desk(db)
