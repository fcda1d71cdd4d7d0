"""A SQLite file deleted (or replaced) under a running process is noticed: nothing more is
acknowledged into a file nobody can open again, commands and votes say the database is gone,
and ``/readyz`` names it (issue 18: votes went into the unlinked file and vanished at stop)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import httpx
import pytest
from prometheus_client import CollectorRegistry

from bot.cli.health import HealthServer, Parts, PrometheusMetrics
from bot.commands.table import build_dispatcher
from bot.facade import Core, Effect
from bot.failures import DATABASE_GONE
from loopback.responders import RecordingResponder
from storage.db import Database
from storage.sqlite_file import DatabaseGone
from tests.support.invoke import invocation
from tests.votes.helpers import PAPERS, open_desk

P1 = PAPERS[0]


def delete_file(db: Database) -> Path:
    path = Path(db.engine.url.database or "")
    path.unlink()
    return path


def said(responder: RecordingResponder) -> list[str]:
    return [str(part.text) for reply in responder.messages.values() for part in reply.parts]  # type: ignore[attr-defined]


async def test_a_database_in_place_is_never_reported_gone(db: Database) -> None:
    desk = await open_desk(db)
    assert db.gone() is None
    assert (await desk.send(desk.click("U1", P1, 1))).result.effect is Effect.RECORDED
    assert db.gone() is None


async def test_a_deleted_file_refuses_units_of_work_naming_it(sqlite_db: Database) -> None:
    await open_desk(sqlite_db)
    path = delete_file(sqlite_db)
    assert sqlite_db.gone() == f"the database file {path} was deleted while paperbot ran"
    with pytest.raises(DatabaseGone, match="was deleted"):
        await sqlite_db.write(lambda s: None)


async def test_a_file_replaced_by_another_is_gone_too(sqlite_db: Database, tmp_path: Path) -> None:
    await open_desk(sqlite_db)
    path = Path(sqlite_db.engine.url.database or "")
    copy = tmp_path / "copy.db"
    shutil.copy(path, copy)
    copy.replace(path)  # a restore by file copy while the process runs
    assert sqlite_db.gone() == f"the database file {path} was replaced while paperbot ran"


async def test_commands_and_votes_after_the_file_is_deleted_say_the_database_is_gone(
    sqlite_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    desk = await open_desk(sqlite_db)
    core = Core(desk.deps, build_dispatcher(), reaction_retries=(0.0,) * 3)
    delete_file(sqlite_db)

    asked, clicked, reacted = RecordingResponder(), RecordingResponder(), RecordingResponder()
    await core.handle_command(invocation("today"), asked)
    click = await core.handle_vote(desk.click("U1", P1, 1), clicked)
    reaction = await core.handle_vote(desk.react("U2", P1, "thumbsup"), reacted)

    assert said(asked) == [DATABASE_GONE]
    assert said(clicked) == [DATABASE_GONE]
    assert click.result.effect is reaction.result.effect is Effect.FAILED
    assert not [r for r in caplog.records if r.exc_info], "a deleted file is no bug to trace"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 3  # one a refusal, each naming the file
    assert all("was deleted while paperbot ran" in r.getMessage() for r in errors)


async def test_readyz_fails_naming_the_deleted_database_file(sqlite_db: Database) -> None:
    await open_desk(sqlite_db)
    path = delete_file(sqlite_db)
    server = HealthServer(Parts(sqlite_db, [], None), PrometheusMetrics(CollectorRegistry()))
    await server.start()
    try:
        async with httpx.AsyncClient() as http:
            ready = await http.get(f"http://127.0.0.1:{server.port}/readyz", timeout=30)
    finally:
        await server.stop()
    assert ready.status_code == 503
    lines = ready.text.splitlines()
    assert f"database: NOT READY: the database file {path} was deleted while paperbot ran" in lines
