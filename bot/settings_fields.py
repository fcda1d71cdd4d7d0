"""Kinds of setting shared by the models: flags, ports, hosts, URLs, bounded numbers, choices.

Each is an ``Annotated`` type whose validator reads the variable's text and raises a
``ValueError`` worded to follow the variable's name ("must be true or false, not 'maybe'"); a
value that is already typed (a test building a model, a default) passes as it is.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BeforeValidator

TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}
HOST_NAME = re.compile(
    r"(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)


def text_only(parse: Callable[[str], Any]) -> BeforeValidator:
    """Apply ``parse`` to text; leave anything else (already typed) to the field's type."""
    return BeforeValidator(lambda value: parse(value) if isinstance(value, str) else value)


def _flag(raw: str) -> bool:
    value = raw.strip().lower()
    if value in TRUE | FALSE:
        return value in TRUE
    raise ValueError(f"must be true or false, not {raw[:40]!r}")


def _port(raw: str) -> int:
    value = raw.strip()
    if not (value.isascii() and value.isdigit() and int(value) <= 65535):
        raise ValueError(f"must be a port number (0-65535), not {raw[:40]!r}")
    return int(value)


def _host(raw: str) -> str:
    """An IP address or a host name to listen on (no scheme, port or path)."""
    value = raw.strip()
    try:
        ipaddress.ip_address(value)
    except ValueError:
        if not HOST_NAME.fullmatch(value):
            raise ValueError(
                "must be an address or host name to listen on, such as 127.0.0.1 or 0.0.0.0, "
                f"not {raw[:60]!r}"
            ) from None
    return value


def _web_url(raw: str) -> str:
    """An http(s) URL with a host: ``http://`` alone would only fail later, less clearly."""
    value = raw.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"must be an http(s) URL with a host, not {raw[:60]!r}")
    return value


def above_zero(most: float, unit: str) -> BeforeValidator:
    """A number of ``unit`` above 0 and at most ``most``."""

    def parse(raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not 0 < value <= most:  # also refuses nan, inf and 1e309 (read as inf)
            raise ValueError(
                f"must be a number of {unit} above 0 and at most {most:g}, not {raw!r}"
            )
        return value

    return text_only(parse)


def one_of(*choices: str) -> BeforeValidator:
    """One of ``choices``, in any case, around spaces."""

    def parse(raw: str) -> str:
        value = raw.strip().lower()
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}, not {raw[:40]!r}")
        return value

    return text_only(parse)


Flag = Annotated[bool, text_only(_flag)]
Port = Annotated[int, text_only(_port)]
Host = Annotated[str, text_only(_host)]
WebUrl = Annotated[str, text_only(_web_url)]
