"""The exit codes the ``paperbot`` command shares between its parts, in a module of their own
so a command imports them without the tools it does not run."""

from __future__ import annotations

EXIT_CONFIG = 78  # EX_CONFIG: bad settings
