"""The Slack side of deploy/check: a loopback fake Slack, then one signed `/papers search lora`.

Run with the repository's venv: ``python deploy/check_slack.py URL_FILE APP_URL READY_URL``. It
starts loopback.slack.FakeSlack, writes its Web API base to URL_FILE (for the container's
PAPERBOT_SLACK_API_URL), waits up to 180 s for READY_URL to answer 200, posts the slash command
signed with PAPERBOT_SLACK_SIGNING_SECRET to APP_URL, and exits 0 once the answer reached the
fake's chat.postMessage or its response URL (within 30 s), 1 otherwise.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
import urllib.request
from pathlib import Path

from loopback.slack import FakeSlack
from loopback.slack_signing import SlackSender


def ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


async def main(url_file: str, app_url: str, ready_url: str) -> int:
    slack = FakeSlack()
    await slack.start()
    try:
        await asyncio.to_thread(Path(url_file).write_text, slack.api_url)
        print(f"fake Slack at {slack.api_url}", flush=True)
        deadline = time.monotonic() + 180
        while not await asyncio.to_thread(ready, ready_url):
            if time.monotonic() > deadline:
                print(f"FAILED: {ready_url} not ready within 180 s", flush=True)
                return 1
            await asyncio.sleep(1)
        print(f"{ready_url}: 200", flush=True)
        sender = SlackSender(app_url, os.environ["PAPERBOT_SLACK_SIGNING_SECRET"])
        status, body = await sender.command("search lora", slack.response_url())
        print(f"POST /slack/events /papers search lora: {status} {body[:80]!r}", flush=True)
        if status != 200:
            return 1

        def answered() -> bool:
            return bool(slack.called("chat.postMessage") or slack.responses)

        try:
            async with asyncio.timeout(30):
                await slack.wait_for_long(answered)
        except TimeoutError:
            print("FAILED: no answer reached the fake Slack within 30 s", flush=True)
            return 1
        for params in slack.called("chat.postMessage"):
            print(f"chat.postMessage to {params.get('channel')}: {str(params.get('text'))[:100]!r}")
        for response in slack.responses:
            print(f"response URL: {str(response.get('text'))[:100]!r}")
        print(f"Slack calls: {[call.method for call in slack.calls]}", flush=True)
        return 0
    finally:
        await slack.stop()


if __name__ == "__main__":
    sys.exit(asyncio.run(main(*sys.argv[1:4])))
