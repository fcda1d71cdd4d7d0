"""``export all`` / ``import``: a team's state moves to another database (either dialect) and reads
the same there; importing again changes nothing; a backup from a newer paperbot is refused."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlmodel import Session

from bot.commands.dispatch import Dispatcher
from bot.deps import Deps
from bot.facade import ButtonVote, CardClick, Core, Effect, Invocation, ReactionChange
from bot.model import Channel, Paper, Tally
from bot.model.digests import DigestSpec, RunState, Subscription
from bot.outbox.rebuild import rebuild_message
from bot.reply import PaperCard, Reply
from bot.settings import Settings
from loopback.ports import FakeSource, FixedClock
from loopback.responders import RecordingResponder
from storage.backup import FORMAT, BackupError, export_all, import_all
from storage.db import Database
from storage.digest_runs import claim_run, finish_run, freeze_selection, record_chunk
from storage.discussions import thread_of
from storage.papers import upsert_papers
from storage.reading import open_entries
from storage.subscriptions import channel_subscriptions, save_subscription
from storage.votes import leaderboard
from tests.support.databases import migrated_database

AT = datetime(2026, 6, 13, 10, tzinfo=UTC)
HERE = Channel("test", "T1", "C1")
TABLES = (
    "paper",
    "subscription",
    "digest_run",
    "vote",
    "posted_message",
    "message_layout",
    "reading_item",
    "discussion",
    "discussion_reply",
    "slack_bots",
    "slack_installations",
)


def core_on(db: Database, dispatcher: Dispatcher) -> Core:
    settings = Settings(database_url=db.url, timezone="UTC")
    return Core(Deps(settings=settings, db=db, source=FakeSource(), clock=FixedClock()), dispatcher)


def cards(message: Reply) -> list[PaperCard]:
    return [p for p in message.parts if isinstance(p, PaperCard)]


async def fill(db: Database, sample_papers: list[Paper], dispatcher: Dispatcher) -> str:
    """A team's state: votes by click and reaction, a sent message, two subscriptions (one
    disabled) with a posted digest run, and a Slack installation. Returns the message's ref."""
    db.write_now(lambda s: upsert_papers(s, sample_papers))
    core = core_on(db, dispatcher)
    channel = RecordingResponder()
    await core.handle_command(Invocation("test", "T1", "C1", "U1", "today 5"), channel)
    (ref,) = channel.with_cards()
    shown = [c.paper.id for c in cards(channel.messages[ref])]
    await core.handle_vote(
        ButtonVote("test", "T1", "C1", "U1", shown[0], 1, "e1", AT, ref), channel
    )
    await core.handle_vote(
        ButtonVote("test", "T1", "C1", "U2", shown[1], -1, "e2", AT, ref), channel
    )
    await core.handle_vote(
        ReactionChange("test", "T1", "C1", ref, "U3", "fire", True, "e3", AT), channel
    )  # several papers: ignored, but recorded as processed
    said = (("U1", f"save {shown[3]}"), ("U2", f"save {shown[4]}"), ("U2", f"done {shown[4]}"))
    for who, asked in said:  # one paper on the team's list, one read
        await core.handle_command(Invocation("test", "T1", "C1", who, asked), channel)
    discuss = CardClick("test", "T1", "C1", "U1", "discuss", shown[2], ref)
    await core.handle_card_action(discuss, channel)
    assert len(channel.threads) == 1
    for _ in range(2):  # two replies in the thread, at the same instant (the clock is fixed)
        await core.handle_thread_reply("test", "T1", "t1", channel)
    daily = Subscription(
        HERE,
        DigestSpec(top_n=3, keywords=("lora",), organizations=("Qwen",), authors=("Ada",)),
        "U1",
    )
    weekly = Subscription(
        HERE, DigestSpec(kind="weekly", timezone="Europe/Paris"), "U1", enabled=False
    )

    def subscribe(s: Session) -> None:
        saved = save_subscription(s, daily, AT)
        save_subscription(s, weekly, AT)
        assert saved.id is not None
        run = claim_run(s, saved.id, date(2026, 6, 12), AT, AT, timedelta(minutes=5))
        assert run is not None
        freeze_selection(s, run, shown[:3], AT)
        record_chunk(s, run, [[ref]], AT)
        finish_run(s, run, RunState.POSTED, AT + timedelta(seconds=1))
        s.execute(
            text(
                "INSERT INTO slack_bots (client_id, app_id, team_id, bot_token, installed_at) "
                "VALUES ('c1', 'A1', 'T1', 'xoxb-secret', :at)"
            ),
            {"at": AT.replace(tzinfo=None)},
        )

    db.write_now(subscribe)
    return ref


def counts(db: Database) -> dict[str, int]:
    return db.read_now(
        lambda s: {
            t: s.execute(select(func.count()).select_from(text(t))).scalar_one() for t in TABLES
        }
    )


def views(db: Database, ref: str) -> tuple[object, ...]:
    def read(s: Session) -> tuple[object, ...]:
        board = leaderboard(s, "test", "T1", since=None, channel=None, limit=10)
        subs = [
            (sub.channel, sub.spec, sub.enabled, sub.created_by, sub.created_at, sub.updated_at)
            for sub in channel_subscriptions(s, HERE)
        ]
        message = rebuild_message(s, HERE, ref)
        assert message is not None
        reading = [(e.paper.id, e.savers) for e in open_entries(s, "test", "T1")]
        threads = [thread_of(s, HERE, card.paper.id) for card in cards(message)]
        return board, subs, message, reading, threads

    return db.read_now(read)


async def moved(
    source: Database, target: Database, sample_papers: list[Paper], dispatcher: Dispatcher
) -> None:
    ref = await fill(source, sample_papers, dispatcher)
    backup = json.loads(json.dumps(source.read_now(lambda s: export_all(s, include_slack=True))))
    target.write_now(lambda s: import_all(s, backup, include_slack=True))

    assert views(target, ref) == views(source, ref)
    assert target.read_now(lambda s: export_all(s, include_slack=True)) == backup
    before = counts(target)
    target.write_now(lambda s: import_all(s, backup, include_slack=True))
    assert counts(target) == before
    assert target.read_now(lambda s: export_all(s, include_slack=True)) == backup
    # The reading list (and the read paper, still read) and the thread came along.
    assert [len(views(target, ref)[3]), before["reading_item"], before["discussion"]] == [1, 2, 1]
    assert before["discussion_reply"] == 2, "both replies, though they share their time"
    # Only the papers the team's rows name came along, not the catalog.
    assert 0 < before["paper"] < len(sample_papers)

    # A click on the old message, in the new database, rebuilds it with the moved tallies.
    rebuilt = views(target, ref)[2]
    assert isinstance(rebuilt, Reply)
    third = cards(rebuilt)[2].paper.id
    click = ButtonVote("test", "T1", "C1", "U9", third, 1, "e9", AT, ref)
    outcome = await core_on(target, dispatcher).handle_vote(click, RecordingResponder())
    assert outcome.result.effect is Effect.RECORDED
    (update,) = outcome.updates
    assert [c.tally for c in cards(update.message)] == [
        Tally(up=1),
        Tally(down=1),
        Tally(up=1),
        Tally(),
        Tally(),
    ]


async def test_a_backup_moves_the_team_to_an_empty_database_and_importing_again_changes_nothing(
    db: Database,
    tmp_path: Path,
    sample_papers: list[Paper],
    dispatcher: Dispatcher,
) -> None:
    with migrated_database(db.dialect, tmp_path) as target:
        await moved(db, target, sample_papers, dispatcher)


async def test_a_sqlite_backup_moves_to_postgresql(
    sqlite_db: Database, tmp_path: Path, sample_papers: list[Paper], dispatcher: Dispatcher
) -> None:
    with migrated_database("postgresql", tmp_path) as target:
        await moved(sqlite_db, target, sample_papers, dispatcher)


async def test_a_postgresql_backup_moves_to_sqlite(
    sqlite_db: Database, tmp_path: Path, sample_papers: list[Paper], dispatcher: Dispatcher
) -> None:
    with migrated_database("postgresql", tmp_path) as source:
        await moved(source, sqlite_db, sample_papers, dispatcher)


def test_slack_installations_move_only_when_asked(db: Database) -> None:
    backup = {
        "format": FORMAT,
        "slack_bots": [{"client_id": "c1", "app_id": "A1", "installed_at": AT.isoformat()}],
    }
    db.write_now(lambda s: import_all(s, backup))
    assert counts(db)["slack_bots"] == 0
    db.write_now(lambda s: import_all(s, backup, include_slack=True))
    db.write_now(lambda s: import_all(s, backup, include_slack=True))
    assert counts(db)["slack_bots"] == 1
    assert "slack_bots" not in db.read_now(lambda s: export_all(s, include_slack=False))


def test_a_backup_from_a_newer_paperbot_is_refused_and_nothing_is_imported(db: Database) -> None:
    newer = {"format": FORMAT + 1, "schema_revision": "9999", "votes": []}
    with pytest.raises(BackupError, match=f"format {FORMAT + 1}.*newer paperbot"):
        db.write_now(lambda s: import_all(s, newer))
    with pytest.raises(BackupError, match="not a paperbot backup"):
        db.write_now(lambda s: import_all(s, [1, 2]))


async def test_importing_into_a_database_with_other_data_merges_and_the_newer_row_wins(
    db: Database, tmp_path: Path, sample_papers: list[Paper], dispatcher: Dispatcher
) -> None:
    with migrated_database(db.dialect, tmp_path) as source:
        ref = await fill(source, sample_papers, dispatcher)
        backup = source.read_now(lambda s: export_all(s, include_slack=False))
    core = core_on(db, dispatcher)
    db.write_now(lambda s: upsert_papers(s, sample_papers))
    by_user = {v["user_id"]: v["paper_id"] for v in backup["votes"]}
    voted = by_user["U1"]
    later = AT + timedelta(hours=1)
    elsewhere = Channel("test", "T2", "C9")
    await core.handle_vote(
        ButtonVote("test", "T1", "C1", "U1", voted, -1, "x1", later, "m8"), RecordingResponder()
    )
    await core.handle_vote(
        ButtonVote("test", "T2", "C9", "U5", voted, 1, "x2", later, "m9"), RecordingResponder()
    )
    db.write_now(lambda s: save_subscription(s, Subscription(elsewhere, DigestSpec(), "U5"), AT))

    db.write_now(lambda s: import_all(s, backup))

    def read(s: Session) -> tuple[object, ...]:
        return (
            leaderboard(s, "test", "T1", since=None, channel=None, limit=10),
            leaderboard(s, "test", "T2", since=None, channel=None, limit=10),
            len(channel_subscriptions(s, HERE)),
            len(channel_subscriptions(s, elsewhere)),
            rebuild_message(s, HERE, ref) is not None,
        )

    mine, theirs, here, there, rebuilt = db.read_now(read)
    assert {(e.paper_id, e.tally) for e in mine} == {
        (voted, Tally(down=1)),  # U1's later click in this database beats the backup's
        (by_user["U2"], Tally(down=1)),
    }
    assert [(e.paper_id, e.tally) for e in theirs] == [(voted, Tally(up=1))]
    assert (here, there, rebuilt) == (2, 1, True)
