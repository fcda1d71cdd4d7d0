"""The command-line tools around the bot: ``ingest``, ``export votes`` and ``db``."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from bot.cli.runtime import runtime
from bot.deps import utc_now
from bot.ingest import days_between, ingest_days
from bot.settings import Settings
from bot.votes.export import write_votes
from storage import migrate
from storage.db import Database
from storage.votes import export_votes

EXIT_CONFIG = 78  # EX_CONFIG: bad settings
DAILY_PAPERS_START = date(2023, 5, 4)  # the first day Hugging Face listed Daily Papers


def outside(text: str, limit: int = 300) -> str:
    """Text from outside (an upstream error message) on one line of a sane length."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def cmd_ingest(settings: Settings, console: Console, args: argparse.Namespace) -> int:
    today = utc_now().astimezone(settings.zone).date()
    first = args.date or args.since
    last = args.date or args.until or today
    if last < first:
        console.print(f"--until {last} is before --since {first}.", style="red")
        return 2
    if last < DAILY_PAPERS_START or first > today:
        console.print(
            f"Daily Papers exist from {DAILY_PAPERS_START} to today ({today}); "
            f"{first} to {last} is outside that.",
            style="red",
        )
        return 2
    if first < DAILY_PAPERS_START or last > today:
        first, last = max(first, DAILY_PAPERS_START), min(last, today)
        console.print(f"Daily Papers exist from {DAILY_PAPERS_START}: ingesting {first} to {last}.")
    days = list(days_between(first, last))
    if settings.offline:
        console.print("PAPERBOT_OFFLINE is set; ingest needs Hugging Face.", style="red")
        return EXIT_CONFIG
    async with runtime(settings, console) as rt:
        assert rt.hf is not None
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
        with Progress(*columns, TimeRemainingColumn(), console=console) as bar:
            task = bar.add_task("Ingesting", total=len(days))

            def on_day(day: date, count: int, error: str | None) -> None:
                status = f"failed: {outside(error, 80)}" if error else f"{count} papers"
                bar.update(task, advance=1, description=escape(f"{day}: {status}"))

            summary = await ingest_days(rt.db, rt.hf, days, on_day, args.day_timeout)
    console.print(f"Ingested {summary.line()}.", markup=False)
    for day, error in summary.failed_days.items():
        console.print(f"  {day}: {outside(error)}", style="red", markup=False)
    return 1 if summary.failed_days else 0


async def cmd_db(settings: Settings, console: Console, args: argparse.Namespace) -> int:
    db = Database(settings.database_url)
    try:
        if args.action == "upgrade":
            migrate.upgrade(db)
        console.print(
            f"schema revision: {migrate.current_revision(db)} (head {migrate.head_revision()})"
        )
    finally:
        db.dispose()
    return 0


async def cmd_export(settings: Settings, console: Console, args: argparse.Namespace) -> int:
    return await asyncio.to_thread(_export, settings, console, args)


def _export(settings: Settings, console: Console, args: argparse.Namespace) -> int:
    target = Path(args.output) if args.output else None
    if target is not None and (target.is_dir() or not target.parent.is_dir()):
        why = "is a directory" if target.is_dir() else "is in a folder that does not exist"
        console.print(f"Cannot write {target}: it {why}.", style="red", markup=False)
        return 2
    db = Database(settings.database_url)
    try:
        migrate.upgrade(db)
        if target is None:
            db.read_now(lambda s: write_votes(export_votes(s), args.format, sys.stdout))
            sys.stdout.flush()
            return 0
        with target.open("w", encoding="utf-8", newline="") as out:
            count = db.read_now(lambda s: write_votes(export_votes(s), args.format, out))
        console.print(f"Wrote {count} votes to {target}.", style="dim", markup=False)
    except BrokenPipeError:  # `export votes | head`: the reader has all it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush is quiet too
        return 0
    except OSError as error:
        console.print(f"Cannot write {target}: {error.strerror}.", style="red", markup=False)
        return 2
    finally:
        db.dispose()
    return 0
