"""One paperbot replica for the multi-process tests: runs the digest scheduler's start-up (catch
up, sweep) against a shared database, posting into a JSON-lines file.

    python -m tests.digests.replica --url URL --now ISO --out FILE --ready FILE --go FILE
        [--no-lock] [--hold SECONDS]

It reports on stdout whether it led. ``--no-lock`` skips the leader lock, so the run claims alone
must keep two schedulers from posting twice.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from datetime import datetime
from pathlib import Path

from bot.deps import Deps
from bot.digests.run import DigestRunner
from bot.model import Channel
from bot.reply import Reply
from bot.reply_split import MessageLimits
from bot.scheduling.scheduler import DigestScheduler
from bot.scheduling.service import DigestService
from bot.settings import Settings
from loopback.ports import FakeSource, FixedClock
from storage.db import Database
from storage.leader_lock import LeaderLock


def append_line(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as out:
        out.write(line + "\n")


def wait_at_barrier(ready: Path, go: Path) -> None:
    """Say this replica is ready, then wait for the test to start both at once."""
    ready.touch()
    deadline = time.monotonic() + 30
    while not go.exists():
        if time.monotonic() > deadline:
            raise SystemExit("the test never said go")
        time.sleep(0.005)


class FilePoster:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0

    @property
    def limits(self) -> MessageLimits:
        return MessageLimits()

    async def send(self, channel: Channel, reply: Reply) -> str:
        self.count += 1
        ref = f"{os.getpid()}-{self.count}"
        line = {
            "pid": os.getpid(),
            "channel": channel.channel,
            "papers": [p.id for p in reply.papers],
        }
        await asyncio.to_thread(append_line, self.path, json.dumps(line))
        return ref


async def main(args: argparse.Namespace) -> None:
    db = Database(args.url)
    deps = Deps(Settings(database_url=args.url), db, FakeSource(), FixedClock(args.now))
    runner = DigestRunner(deps, {"test": FilePoster(args.out)})
    scheduler = DigestScheduler(runner)
    service = DigestService(scheduler, LeaderLock(db))
    await asyncio.to_thread(wait_at_barrier, Path(args.ready), Path(args.go))
    if args.no_lock:
        await scheduler.start()
    else:
        await service.start()
    print(json.dumps({"pid": os.getpid(), "leader": service.leading}), flush=True)
    await asyncio.sleep(args.hold)
    await service.stop()
    db.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--now", type=datetime.fromisoformat, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--ready", required=True)
    parser.add_argument("--go", required=True)
    parser.add_argument("--no-lock", action="store_true")
    parser.add_argument("--hold", type=float, default=0.0)
    asyncio.run(main(parser.parse_args()))
