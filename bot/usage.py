"""``UsageError``: input that cannot be run as typed.

It lives below every feature package so parsers (search, digest grammar) and commands raise the
same error without importing the command layer; the dispatcher turns it into a short private
reply that repeats the command's usage.
"""

from __future__ import annotations


class UsageError(ValueError):
    """The arguments cannot be run as typed; the message says what was wrong."""
