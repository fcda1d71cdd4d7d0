"""paperbot's command line and composition root: the one place that reads settings and wires the
parts together (``bot.cli.runtime``), and the only one that imports adapters (``bot.cli.adapters``,
lazily, only those the settings turn on)."""

from __future__ import annotations

import argparse
import asyncio
import importlib
from collections.abc import Callable, Coroutine, Sequence
from datetime import date
from typing import Any

from rich.console import Console

from bot.cli.exit_codes import EXIT_CONFIG
from bot.cli.logs import configure_logging
from bot.cli.roles import Role
from bot.cli.search import add_search_parser
from bot.facade import AdapterRefused
from bot.ingest import DAY_DEADLINE
from bot.settings import SettingsError, load_settings
from bot.version import paperbot_version
from storage.checks import DatabaseUnavailable

SLACK_INSTALLS_HELP = (
    "include Slack OAuth installations: they hold bot tokens, so keep such a file secret"
)
DESCRIPTION = "Hugging Face Daily Papers for research teams in Slack, Discord and the terminal."


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date like 2026-06-12, not {value!r}"
        ) from None


def _run_to_completion(main: Coroutine[Any, Any, int], *, serving: bool) -> int:
    """``paperbot run`` serves on uvloop where it is installed (not on Windows): with it a burst
    of Slack commands is acknowledged sooner (docs/benchmarks.md). The rest use asyncio's loop."""
    if serving:
        try:
            import uvloop
        except ImportError:
            pass
        else:
            return uvloop.run(main)
    return asyncio.run(main)


def _when_run(module: str, name: str) -> Callable[..., Coroutine[Any, Any, int]]:
    """A command's function, imported only when that command runs: ``paperbot ask`` and
    ``shell`` do not load the backup and export tools, nor the doctor's checks and clients."""

    def run(*args: Any) -> Coroutine[Any, Any, int]:
        command: Callable[..., Coroutine[Any, Any, int]] = getattr(
            importlib.import_module(module), name
        )
        return command(*args)

    return run


cmd_run = _when_run("bot.cli.serve", "cmd_run")
cmd_shell = _when_run("bot.cli.serve", "cmd_shell")
cmd_ask = _when_run("bot.cli.serve", "cmd_ask")
cmd_ingest = _when_run("bot.cli.tools", "cmd_ingest")
cmd_export = _when_run("bot.cli.tools", "cmd_export")
cmd_import = _when_run("bot.cli.tools", "cmd_import")
cmd_db = _when_run("bot.cli.tools", "cmd_db")
cmd_discord_sync = _when_run("bot.cli.adapters", "cmd_discord_sync")
doctor = _when_run("bot.cli.doctor", "doctor")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="paperbot", description=DESCRIPTION)
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug output")
    parser.add_argument("--version", action="version", version=f"paperbot {paperbot_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="serve every adapter the settings turn on, and digests")
    run.add_argument(
        "--role",
        choices=[role.value for role in Role],
        default=Role.ALL.value,
        help="all (default): everything in one process; web: Slack over HTTP and the terminal "
        "chat, replicable; worker: the Discord gateway, digests and the catalog sync",
    )
    run.set_defaults(run=cmd_run)

    sub.add_parser("shell", help="chat with paperbot in the terminal").set_defaults(run=cmd_shell)

    ask = sub.add_parser("ask", help="run one command, print the reply and exit")
    ask.add_argument("text", nargs="+", help='e.g. "/papers search lora"')
    ask.set_defaults(run=cmd_ask)

    ingest = sub.add_parser("ingest", help="fill the catalog from Hugging Face Daily Papers")
    window = ingest.add_mutually_exclusive_group(required=True)
    window.add_argument("--date", type=_date, help="one day, YYYY-MM-DD")
    window.add_argument("--since", type=_date, help="first day, YYYY-MM-DD")
    ingest.add_argument("--until", type=_date, help="last day (default: today)")
    ingest.add_argument(
        "--day-timeout",
        type=float,
        default=DAY_DEADLINE,
        metavar="SECONDS",
        help=f"give up on a day after this long, retries included (default {DAY_DEADLINE:g})",
    )
    ingest.set_defaults(run=cmd_ingest)

    export = sub.add_parser(
        "export",
        help="export votes (CSV or JSON), reading lists (BibTeX, Markdown or CSV), "
        "or all of a team's state as a JSON backup",
    )
    export.add_argument(
        "what", choices=["votes", "reading", "all"], help="all: a backup for paperbot import"
    )
    export.add_argument(
        "--format",
        choices=["csv", "json", "bibtex", "markdown"],
        default=None,
        help="votes: csv (default) or json; reading: bibtex (default), markdown or csv",
    )
    export.add_argument("--output", "-o", help="file to write (default: standard output)")
    export.add_argument("--with-slack-installs", action="store_true", help=SLACK_INSTALLS_HELP)
    export.set_defaults(run=cmd_export)

    restore = sub.add_parser(
        "import", help="import a backup made by export all (importing it again changes nothing)"
    )
    restore.add_argument("file", help="the backup's JSON file")
    restore.add_argument("--with-slack-installs", action="store_true", help=SLACK_INSTALLS_HELP)
    restore.set_defaults(run=cmd_import)

    discord = sub.add_parser("discord", help="Discord deploy steps")
    discord_sub = discord.add_subparsers(dest="discord_action", required=True)
    sync = discord_sub.add_parser("sync", help="register the /papers commands with Discord")
    sync.add_argument("--guild", type=int, help="one server's id: its commands update at once")
    sync.set_defaults(run=cmd_discord_sync)

    doctor = sub.add_parser(
        "doctor", help="check the settings, database, Hugging Face, Slack and Discord"
    )
    doctor.set_defaults(run=None)

    db = sub.add_parser("db", help="database schema")
    db.add_argument("action", choices=["upgrade", "current"])
    db.set_defaults(run=cmd_db)
    add_search_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console()
    if args.command == "doctor":  # reads the settings itself: a bad one is one of its rows
        return asyncio.run(doctor(console, None))  # None: this process's settings
    try:
        configure_logging(args.verbose, None)  # before settings, so loading them is logged
        settings = load_settings()
    except SettingsError as error:
        console.print(
            f"Configuration error: {error}", style="bold red", markup=False, soft_wrap=True
        )
        return EXIT_CONFIG
    if getattr(args, "until", None) and not args.since:
        console.print("--until goes with --since.", style="red")
        return 2
    try:
        code = _run_to_completion(args.run(settings, console, args), serving=args.command == "run")
    except KeyboardInterrupt:
        return 130
    except (SettingsError, DatabaseUnavailable, AdapterRefused) as error:
        console.print(
            f"Configuration error: {error}", style="bold red", markup=False, soft_wrap=True
        )
        return EXIT_CONFIG
    return code
