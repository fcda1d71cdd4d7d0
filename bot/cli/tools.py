"""The command-line tools around the bot: ``ingest``, ``export votes`` and ``db``."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date

from rich.console import Console
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


async def cmd_ingest(settings: Settings, console: Console, args: argparse.Namespace) -> int:
    first = args.date or args.since
    last = args.date or args.until or utc_now().astimezone(settings.zone).date()
    if last < first:
        console.print(f"--until {last} is before --since {first}.", style="red")
        return 2
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
                status = f"failed: {error}" if error else f"{count} papers"
                bar.update(task, advance=1, description=f"{day}: {status}")

            summary = await ingest_days(rt.db, rt.hf, days, on_day)
    console.print(f"Ingested {summary.line()}.", markup=False)
    for day, error in summary.failed_days.items():
        console.print(f"  {day}: {error}", style="red", markup=False)
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
    db = Database(settings.database_url)
    try:
        migrate.upgrade(db)
        if not args.output:
            db.read_now(lambda s: write_votes(export_votes(s), args.format, sys.stdout))
            return 0
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            count = db.read_now(lambda s: write_votes(export_votes(s), args.format, out))
        console.print(f"Wrote {count} votes to {args.output}.", style="dim", markup=False)
    finally:
        db.dispose()
    return 0
