"""``paperbot doctor``: is this deployment ready? One row per part, each with a clear verdict.

The parts are checked in order, each by a small function returning a ``Check`` (pure data): the
settings, the database, its schema, Hugging Face, and Slack and Discord when configured. A part
that needs an earlier one that failed is not checked (``ok`` is None) and says which it needs.
Nothing is changed: no file is created, no migration run, nothing posted.

Exit codes: 0 when every part that was checked passed; 78 (as every command) when a setting is
wrong, since nothing else can be trusted then; 1 when any other part failed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from bot.cli.adapter_settings import AdapterSettings, load_adapter_settings
from bot.cli.adapters import discord_identity, slack_identity
from bot.cli.exit_codes import EXIT_CONFIG
from bot.cli.tools import outside
from bot.settings import Settings, SettingsError, load_settings
from bot.settings_source import gather
from bot.sources.errors import SourceError
from bot.sources.hf.client import HuggingFaceClient
from storage import migrate
from storage.checks import DATABASE_SETTING, DatabaseUnavailable, SchemaTooNew
from storage.checks import check_database as connect_once
from storage.db import Database
from storage.slack_installs import installed_workspaces

UPGRADE = "run `paperbot db upgrade` (or `paperbot run`, which migrates as it starts)"
HF_DEADLINE = 10.0  # seconds for the one Hugging Face request, connecting included
EXIT_FAILED = 1

SETTINGS = "settings"
DATABASE = "database"
SCHEMA = "schema"
HUGGING_FACE = "Hugging Face"
SLACK = "Slack"
DISCORD = "Discord"


@dataclass(frozen=True, slots=True)
class Check:
    """One part's verdict: passed (True), failed (False) or not checked (None), and why."""

    name: str
    ok: bool | None
    detail: str


def skipped(name: str, why: str) -> Check:
    return Check(name, None, why)


def check_settings(
    env: Mapping[str, str] | None,
) -> tuple[Check, Settings | None, AdapterSettings | None]:
    """The core's and the adapters' settings (``env`` None: this process's, with its settings
    file); a bad one is named with what it expects."""
    try:
        env = gather(env)  # the settings file and secret files once, for both
    except SettingsError as error:
        return Check(SETTINGS, False, str(error)), None, None
    settings: Settings | None = None
    adapters: AdapterSettings | None = None
    problems: list[str] = []
    try:
        settings = load_settings(env)
    except SettingsError as error:
        problems.append(str(error))
    try:
        adapters = load_adapter_settings(env)
    except SettingsError as error:
        problems.append(str(error))
    if problems:
        return Check(SETTINGS, False, "; ".join(problems)), settings, adapters
    assert adapters is not None
    turned_on = [
        name
        for name, on in (
            ("Slack", adapters.slack),
            ("Discord", adapters.discord),
            ("console", adapters.console),
        )
        if on
    ]
    adapters_note = ", ".join(turned_on) if turned_on else "no adapter turned on"
    return Check(SETTINGS, True, f"valid ({adapters_note})"), settings, adapters


def check_database(settings: Settings) -> tuple[Check, Database | None]:
    """Connect once (storage's checks name a file that is not a database, a server that is down,
    a wrong password); a SQLite file that does not exist is reported, not created."""
    path = _sqlite_file(settings.database_url)
    if path is not None and not path.is_file():
        if path.is_dir():
            return Check(DATABASE, False, f"{path} is a folder, not a database file"), None
        return Check(DATABASE, False, f"{path}: no such file yet; {UPGRADE}"), None
    db = Database(settings.database_url, search_dir=None)
    try:
        connect_once(db)
    except DatabaseUnavailable as error:
        db.dispose()
        return Check(DATABASE, False, str(error).removeprefix(f"{DATABASE_SETTING}: ")), None
    where = str(path) if path is not None else db.engine.url.render_as_string(hide_password=True)
    return Check(DATABASE, True, f"connected to {db.dialect} at {where}"), db


def check_schema(db: Database) -> Check:
    """The schema's revision against this paperbot's migrations: at head, behind, or newer."""
    head = migrate.head_revision()
    try:
        current = migrate.check_schema(db)
    except SchemaTooNew:
        return Check(
            SCHEMA, False, "written by a newer paperbot than this one: upgrade paperbot to use it"
        )
    except DatabaseUnavailable as error:
        return Check(SCHEMA, False, str(error).removeprefix(f"{DATABASE_SETTING}: "))
    if current == head:
        return Check(SCHEMA, True, f"at the latest revision ({head})")
    where = "empty (no tables yet)" if current is None else f"at revision {current}"
    return Check(SCHEMA, False, f"{where}, behind {head}: {UPGRADE}")


async def check_hugging_face(settings: Settings, deadline: float = HF_DEADLINE) -> Check:
    """One request for yesterday's Daily Papers (UTC: a day Hugging Face has listed), with a
    short deadline and no retries: an answer, however many papers, means it is reachable."""
    if settings.offline:
        return skipped(HUGGING_FACE, "offline (PAPERBOT_OFFLINE is set)")
    day = datetime.now(UTC).date() - timedelta(days=1)
    client = HuggingFaceClient(
        settings.hf_base_url,
        token=settings.hf_secret,
        timeout=deadline,
        max_retries=0,
        connect_retries=0,
    )
    try:
        async with asyncio.timeout(deadline):
            papers = await client.daily_papers(day)
    except SourceError as error:
        return Check(HUGGING_FACE, False, f"{settings.hf_base_url}: {error}")
    except TimeoutError:
        return Check(
            HUGGING_FACE, False, f"{settings.hf_base_url} did not answer within {deadline:g} s"
        )
    finally:
        await client.aclose()
    count = f"{len(papers)} paper{'s' if len(papers) != 1 else ''}"
    return Check(HUGGING_FACE, True, f"{settings.hf_base_url} answered ({count} for {day})")


async def check_slack(adapters: AdapterSettings, db: Database | None) -> Check:
    """``auth.test`` with the bot token; in OAuth mode, how many workspaces installed the app."""
    slack = adapters.slack
    if slack is None:
        return skipped(SLACK, "not configured")
    if slack.bot_token is not None:
        ok, detail = await slack_identity(slack)
        return Check(SLACK, ok, detail)
    if db is None:
        return skipped(SLACK, "OAuth mode: not checked (needs the database and its schema)")
    assert slack.client_id is not None
    client_id = slack.client_id
    count = await db.read(lambda session: installed_workspaces(session, client_id))
    if count == 0:
        return Check(SLACK, True, "OAuth mode: no workspace has installed the app yet")
    return Check(SLACK, True, f"OAuth mode: installed in {count} workspace{'s' * (count != 1)}")


async def check_discord(adapters: AdapterSettings) -> Check:
    """``GET /users/@me`` with the bot token."""
    if adapters.discord is None:
        return skipped(DISCORD, "not configured")
    ok, detail = await discord_identity(adapters.discord)
    return Check(DISCORD, ok, detail)


async def run_checks(env: Mapping[str, str] | None) -> list[Check]:
    """Every part, in order; later parts are not checked when what they need failed."""
    settings_check, settings, adapters = check_settings(env)
    checks = [settings_check]
    db: Database | None = None
    try:
        if settings is None:
            checks += [skipped(n, "not checked (settings)") for n in (DATABASE, SCHEMA)]
            checks.append(skipped(HUGGING_FACE, "not checked (settings)"))
        else:
            database_check, db = await asyncio.to_thread(check_database, settings)
            checks.append(database_check)
            if db is None:
                checks.append(skipped(SCHEMA, "not checked (database)"))
            else:
                schema = await asyncio.to_thread(check_schema, db)
                checks.append(schema)
                if not schema.ok:
                    db.dispose()
                    db = None
            checks.append(await check_hugging_face(settings))
        if adapters is None:
            checks += [skipped(n, "not checked (settings)") for n in (SLACK, DISCORD)]
        else:
            checks.append(await check_slack(adapters, db))
            checks.append(await check_discord(adapters))
    finally:
        if db is not None:
            db.dispose()
    return checks


def exit_code(checks: list[Check]) -> int:
    if any(c.name == SETTINGS and c.ok is False for c in checks):
        return EXIT_CONFIG
    return EXIT_FAILED if any(c.ok is False for c in checks) else 0


VERDICTS: dict[bool | None, tuple[str, str]] = {
    True: ("✓", "green"),
    False: ("✗", "bold red"),
    None: ("–", "dim"),
}


def table(checks: list[Check]) -> Table:
    """One row per part: its name, ✓ / ✗ / – (not checked), and the detail on one line of a
    sane length (it may quote an upstream's answer)."""
    rows = Table(title="paperbot doctor", title_justify="left")
    rows.add_column("part", no_wrap=True)
    rows.add_column("", no_wrap=True)
    rows.add_column("detail", overflow="fold")
    for check in checks:
        mark, style = VERDICTS[check.ok]
        rows.add_row(check.name, Text(mark, style=style), Text(outside(check.detail)))
    return rows


async def doctor(console: Console, env: Mapping[str, str] | None) -> int:
    checks = await run_checks(env)
    console.print(table(checks))
    code = exit_code(checks)
    console.print(
        "All checked parts pass." if code == 0 else "Not ready: see the ✗ rows.",
        style="green" if code == 0 else "red",
    )
    return code


def _sqlite_file(url: str) -> Path | None:
    if not url.startswith("sqlite:///"):
        return None
    return Path(url.removeprefix("sqlite:///").split("?", 1)[0])
