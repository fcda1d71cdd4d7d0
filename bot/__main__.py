"""paperbot's composition root: the one place that reads settings and wires the parts together."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from platformdirs import user_data_dir
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from adapters.console.app import EXIT_CODES, ConsoleChat, prompt_reader, stdin_reader
from adapters.console.poster import ConsolePoster
from adapters.console.translate import PLATFORM as CONSOLE_PLATFORM
from bot.commands.dispatch import Dispatcher
from bot.commands.table import build_dispatcher
from bot.deps import Deps, utc_now
from bot.ingest import days_between, ingest_days, load_sample_if_empty
from bot.ports import PaperSource
from bot.scheduling.service import build_digest_service
from bot.settings import Settings, SettingsError, load_settings
from bot.sources.guarded import GuardedSource
from bot.sources.hf.client import HuggingFaceClient
from bot.votes.export import write_votes
from storage import migrate
from storage.db import Database
from storage.votes import export_votes

EXIT_CONFIG = 78  # EX_CONFIG: bad settings
DIGEST_SOURCE_TIMEOUT = 60.0  # digests run in the background: Hugging Face may take its time


@dataclass(frozen=True, slots=True)
class Runtime:
    settings: Settings
    db: Database
    hf: HuggingFaceClient | None
    deps: Deps
    dispatcher: Dispatcher


@asynccontextmanager
async def runtime(settings: Settings, console: Console) -> AsyncIterator[Runtime]:
    """Open the database (migrated, sample loaded on first start) and the HF client."""
    db = _open_database(settings, console)
    hf = (
        None
        if settings.offline
        else HuggingFaceClient(settings.hf_base_url, token=settings.hf_token)
    )
    source: PaperSource = GuardedSource(hf, timeout=settings.interactive_timeout)
    deps = Deps(settings=settings, db=db, source=source, clock=utc_now)
    try:
        yield Runtime(settings, db, hf, deps, build_dispatcher())
    finally:
        if hf is not None:
            await hf.aclose()
        db.dispose()


def _open_database(settings: Settings, console: Console) -> Database:
    if settings.database_url.startswith("sqlite:///"):
        path = settings.database_url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = Database(settings.database_url)
    migrate.upgrade(db)
    if settings.load_sample:
        with console.status("First start: loading the bundled sample of real papers…"):
            loaded = load_sample_if_empty(db, utc_now())
        if loaded:
            console.print(f"Loaded {loaded:,} sample papers into the catalog.", style="dim")
    return db


async def cmd_shell(settings: Settings, console: Console, _args: argparse.Namespace) -> int:
    async with runtime(settings, console) as rt:
        if rt.db.dialect == "sqlite":  # a long session: read the search statistics up front
            await rt.db.read(rt.db.common_terms.get)
        chat = ConsoleChat(rt.deps, rt.dispatcher, console)
        # The console channel's digests print into the chat while it runs.
        source = GuardedSource(rt.hf, timeout=DIGEST_SOURCE_TIMEOUT, cool_down=60.0)
        digests = build_digest_service(
            replace(rt.deps, source=source), {CONSOLE_PLATFORM: ConsolePoster(chat)}
        )
        chat.deps = replace(rt.deps, schedule=digests)
        await digests.start()
        try:
            if sys.stdin.isatty():
                from prompt_toolkit.patch_stdout import patch_stdout

                history = Path(user_data_dir("paperbot", appauthor=False)) / "shell_history"
                with patch_stdout(raw=True):  # a digest printed mid-prompt goes above it
                    return await chat.run(prompt_reader(history))
            return await chat.run(stdin_reader())
        finally:
            await digests.stop()


async def cmd_ask(settings: Settings, console: Console, args: argparse.Namespace) -> int:
    async with runtime(settings, console) as rt:
        reply = await ConsoleChat(rt.deps, rt.dispatcher, console).ask(" ".join(args.text))
        return EXIT_CODES[reply.outcome]


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
    console.print(f"Ingested {summary.line()}.")
    for day, error in summary.failed_days.items():
        console.print(f"  {day}: {error}", style="red")
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
        console.print(f"Wrote {count} votes to {args.output}.", style="dim")
    finally:
        db.dispose()
    return 0


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date like 2026-06-12, not {value!r}"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="paperbot", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug output")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("shell", help="chat with paperbot in the terminal").set_defaults(run=cmd_shell)

    ask = sub.add_parser("ask", help="run one command, print the reply and exit")
    ask.add_argument("text", nargs="+", help='e.g. "/papers search lora"')
    ask.set_defaults(run=cmd_ask)

    ingest = sub.add_parser("ingest", help="fill the catalog from Hugging Face Daily Papers")
    window = ingest.add_mutually_exclusive_group(required=True)
    window.add_argument("--date", type=_date, help="one day, YYYY-MM-DD")
    window.add_argument("--since", type=_date, help="first day, YYYY-MM-DD")
    ingest.add_argument("--until", type=_date, help="last day (default: today)")
    ingest.set_defaults(run=cmd_ingest)

    export = sub.add_parser("export", help="export data")
    export.add_argument("what", choices=["votes"])
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    export.add_argument("--output", "-o", help="file to write (default: standard output)")
    export.set_defaults(run=cmd_export)

    db = sub.add_parser("db", help="database schema")
    db.add_argument("action", choices=["upgrade", "current"])
    db.set_defaults(run=cmd_db)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    console = Console()
    try:
        settings = load_settings()
    except SettingsError as error:
        console.print(f"Configuration error: {error}", style="bold red")
        return EXIT_CONFIG
    if getattr(args, "until", None) and not args.since:
        console.print("--until goes with --since.", style="red")
        return 2
    try:
        code: int = asyncio.run(args.run(settings, console, args))
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
