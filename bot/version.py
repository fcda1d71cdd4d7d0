"""The installed paperbot's version, for ``paperbot --version`` and ``/papers about``."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def paperbot_version() -> str:
    try:
        return version("paperbot")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"
