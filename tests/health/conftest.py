"""A running digest service, for /readyz."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.deps import Deps
from bot.facade import Posters
from bot.scheduling.service import DigestService, build_digest_service


@pytest.fixture
async def digests(deps: Deps) -> AsyncIterator[DigestService]:
    service = build_digest_service(deps, Posters())
    await service.start()
    yield service
    await service.stop()
