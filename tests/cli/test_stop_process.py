"""``paperbot run`` asked to stop (SIGTERM) while Slack work it acknowledged is in flight: every
acknowledged command is answered and every acknowledged click stored before it exits 0, and
its log says what the stop drained (issue 18). The fake Slack holds the commands' answers
until the process says it is stopping, so the work is in flight at the signal however fast or
slow the machine is."""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from bot.votes.buttons import vote_action_id
from loopback.ports import make_paper
from loopback.slack import FakeSlack
from loopback.slack_signing import SECRET, SlackSender
from storage.db import Database
from storage.papers import upsert_papers
from tests.support.processes import child_env
from tests.support.queries import paper_tally

ROOT = Path(__file__).resolve().parents[2]
PAPER = "2606.00001"
COMMANDS = 6
CLICKS = 20
TS = "1780000000.000001"  # a message the clicks are on
STOPPING = "stopping Slack: no new requests"  # the adapter's drain is about to start
PATIENCE = 45.0  # a bound on waiting for the child (within the test's 60 s), not its speed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def slack_bot(
    db: Database, fake: FakeSlack, tmp_path: Path, port: int
) -> AsyncIterator[asyncio.subprocess.Process]:
    env = child_env(PAPERBOT_DATABASE_URL=db.url, XDG_CACHE_HOME=str(tmp_path / "cache"))
    env |= {"PAPERBOT_OFFLINE": "1", "PAPERBOT_LOAD_SAMPLE": "0", "PAPERBOT_LOG_LEVEL": "info"}
    env |= {"PAPERBOT_SLACK_BOT_TOKEN": "xoxb-run", "PAPERBOT_SLACK_SIGNING_SECRET": SECRET}
    env |= {"PAPERBOT_SLACK_API_URL": fake.api_url, "PAPERBOT_HTTP_PORT": str(port)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        yield process
    finally:
        fake.release_responses()
        if process.returncode is None:
            process.kill()
            await process.wait()


async def serving(
    sender: SlackSender, fake: FakeSlack, process: asyncio.subprocess.Process
) -> None:
    """Until the child acknowledges a command (its answer is held like the others')."""
    while True:
        with contextlib.suppress(OSError):
            status, _ = await sender.command("help", fake.response_url("probe"))
            assert status == 200
            return
        assert process.returncode is None, "paperbot run ended before serving"
        await asyncio.sleep(0.2)


async def read_until(stream: asyncio.StreamReader, text: str, lines: list[str]) -> None:
    """Collect the child's log lines into ``lines`` until one contains ``text``."""
    while True:
        line = (await stream.readline()).decode()
        assert line, f"the log ended before {text!r}:\n" + "".join(lines[-30:])
        lines.append(line)
        if text in line:
            return


async def test_sigterm_answers_every_acknowledged_command_and_stores_every_click(
    db: Database, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    db.write_now(lambda s: upsert_papers(s, [make_paper(PAPER, "A paper to vote on")]))
    fake_slack.hold_responses()
    sender = SlackSender(f"http://127.0.0.1:{(port := free_port())}/slack/events")
    async with slack_bot(db, fake_slack, tmp_path, port) as process:
        assert process.stderr is not None
        await asyncio.wait_for(serving(sender, fake_slack, process), PATIENCE)
        hooks = [f"c{n}" for n in range(COMMANDS)]
        acks = await asyncio.gather(
            *(sender.command("help", fake_slack.response_url(hook)) for hook in hooks),
            *(
                sender.click(vote_action_id(PAPER, 1), TS, fake_slack.response_url(), user=f"U{n}")
                for n in range(CLICKS)
            ),
        )
        assert [status for status, _ in acks] == [200] * (COMMANDS + CLICKS)
        every_answer_waiting = lambda: fake_slack.held == COMMANDS + 1  # noqa: E731
        await asyncio.wait_for(fake_slack.wait_for_long(every_answer_waiting), PATIENCE)

        process.send_signal(signal.SIGTERM)
        log: list[str] = []
        await asyncio.wait_for(read_until(process.stderr, STOPPING, log), PATIENCE)
        fake_slack.release_responses()  # Slack answers only once the stop is under way
        rest = await asyncio.wait_for(process.stderr.read(), PATIENCE)
        await process.wait()
    log.append(rest.decode())
    text = "".join(log)

    assert process.returncode == 0, text[-3000:]
    assert len(fake_slack.responses) == COMMANDS + 1  # the probe too
    assert db.read_now(lambda s: paper_tally(s, "slack", "T1", PAPER)).up == CLICKS
    # the commands' answers were held, so they were in flight; clicks may have been too
    # whichever waited for them says so: the acknowledgement queue, or the listeners' tracker
    drained = re.findall(
        r"stopping: (\d+) (?:acknowledged Slack requests|Slack commands and votes) finished", text
    )
    assert max(map(int, drained), default=0) >= COMMANDS + 1, text[-3000:]
    assert "unfinished" not in text
