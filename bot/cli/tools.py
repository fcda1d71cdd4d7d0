"""The command-line tools around the bot: ``ingest``, ``export``, ``import`` and ``db``."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from bot.cli.exit_codes import EXIT_CONFIG
from bot.cli.runtime import runtime
from bot.deps import utc_now
from bot.ingest import days_between, ingest_days
from bot.reading_export import READING_FORMATS, ReadingFormat, write_reading
from bot.settings import Settings
from bot.votes.export import ExportFormat, write_votes
from storage import migrate
from storage.backup import BackupError, export_all, import_all
from storage.db import Database
from storage.reading import every_open_entry
from storage.votes import export_votes

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


FORMATS_OF: dict[str, tuple[str, ...]] = {
    "votes": ("csv", "json"),
    "reading": READING_FORMATS,
    "all": ("json",),
}


def _export_reading(db: Database, console: Console, fmt: ReadingFormat, target: Path | None) -> int:
    entries = db.read_now(every_open_entry)
    if target is None:
        write_reading(entries, fmt, sys.stdout)
        sys.stdout.flush()
        return 0
    with target.open("w", encoding="utf-8", newline="") as out:
        count = write_reading(entries, fmt, out)
    console.print(f"Wrote {count} saved papers to {target}.", style="dim", markup=False)
    return 0


async def cmd_export(settings: Settings, console: Console, args: argparse.Namespace) -> int:
    return await asyncio.to_thread(_export, settings, console, args)


def _export(settings: Settings, console: Console, args: argparse.Namespace) -> int:
    target = Path(args.output) if args.output else None
    if args.what != "all" and args.with_slack_installs:
        console.print("--with-slack-installs goes with export all.", style="red")
        return 2
    if args.format is not None and args.format not in FORMATS_OF[args.what]:
        allowed = ", ".join(FORMATS_OF[args.what])
        console.print(f"export {args.what} writes {allowed}.", style="red", markup=False)
        return 2
    if target is not None and (target.is_dir() or not target.parent.is_dir()):
        why = "is a directory" if target.is_dir() else "is in a folder that does not exist"
        console.print(f"Cannot write {target}: it {why}.", style="red", markup=False)
        return 2
    db = Database(settings.database_url)
    try:
        migrate.upgrade(db)
        if args.what == "reading":
            return _export_reading(db, console, args.format or "bibtex", target)
        fmt: ExportFormat = args.format or "csv"
        if args.what == "all":
            backup = db.read_now(lambda s: export_all(s, include_slack=args.with_slack_installs))
            text = json.dumps(backup, ensure_ascii=False, indent=2) + "\n"
            if target is None:
                sys.stdout.write(text)
                sys.stdout.flush()
                return 0
            target.write_text(text, encoding="utf-8")
            what = "" if args.with_slack_installs else " (without Slack installations)"
            console.print(f"Wrote a backup{what} to {target}.", style="dim", markup=False)
            return 0
        if target is None:
            db.read_now(lambda s: write_votes(export_votes(s), fmt, sys.stdout))
            sys.stdout.flush()
            return 0
        with target.open("w", encoding="utf-8", newline="") as out:
            count = db.read_now(lambda s: write_votes(export_votes(s), fmt, out))
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


async def cmd_import(settings: Settings, console: Console, args: argparse.Namespace) -> int:
    return await asyncio.to_thread(_import, settings, console, args)


def _import(settings: Settings, console: Console, args: argparse.Namespace) -> int:
    source = Path(args.file)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except OSError as error:
        console.print(f"Cannot read {source}: {error.strerror}.", style="red", markup=False)
        return 2
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        console.print(f"Cannot import {source}: not JSON ({error}).", style="red", markup=False)
        return 2
    db = Database(settings.database_url)
    try:
        migrate.upgrade(db)
        include = args.with_slack_installs
        summary = db.write_now(lambda s: import_all(s, data, include_slack=include))
    except BackupError as error:
        console.print(f"Cannot import {source}: {error}.", style="red", markup=False)
        return 2
    finally:
        db.dispose()
    console.print(f"Imported {summary.line()} from {source}.", markup=False, soft_wrap=True)
    if not args.with_slack_installs and isinstance(data, dict) and data.get("slack_bots"):
        console.print(
            "The backup holds Slack installations; they were left out "
            "(add --with-slack-installs to import them).",
            style="yellow",
            markup=False,
        )
    return 0
