"""The Slack side of deploy/check and deploy/check-compose: a loopback fake Slack, then signed
`/papers search lora` commands.

Run with the repository's venv:
``python deploy/check_slack.py URL_FILE --ready URL [--ready URL …] --app URL [--app URL …]
[--wait SECONDS]``. It starts loopback.slack.FakeSlack, writes its Web API base to URL_FILE (for
the containers' PAPERBOT_SLACK_API_URL), waits up to SECONDS (600: three processes starting at
once took 280 s at load 20) for every READY URL to answer 200, posts one slash
command signed with PAPERBOT_SLACK_SIGNING_SECRET to each APP URL (from channel C1, C2, …), and
exits 0 once every command's answer reached the fake's chat.postMessage or a response URL
(within 30 s), 1 otherwise.
"""

from __future__ import annotations

import argparse
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


async def until_ready(urls: list[str], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    for url in urls:
        while not await asyncio.to_thread(ready, url):
            if time.monotonic() > deadline:
                print(f"FAILED: {url} not ready within {seconds:.0f} s", flush=True)
                return False
            await asyncio.sleep(1)
        print(f"{url}: 200", flush=True)
    return True


async def main(url_file: str, ready_urls: list[str], app_urls: list[str], wait: float) -> int:
    slack = FakeSlack()
    await slack.start()
    try:
        partial = Path(f"{url_file}.partial")  # renamed whole: the script never reads half
        await asyncio.to_thread(partial.write_text, slack.api_url)
        await asyncio.to_thread(partial.rename, url_file)
        print(f"fake Slack at {slack.api_url}", flush=True)
        if not await until_ready(ready_urls, wait):
            return 1
        secret = os.environ["PAPERBOT_SLACK_SIGNING_SECRET"]
        for number, app_url in enumerate(app_urls, start=1):
            sender = SlackSender(app_url, secret)
            channel = f"C{number}"
            response_url = slack.response_url(f"cmd{number}")
            status, body = await sender.command("search lora", response_url, channel_id=channel)
            print(f"POST {app_url} /papers search lora from {channel}: {status} {body[:80]!r}")
            if status != 200:
                return 1

        def answered() -> bool:
            channels = {params.get("channel") for params in slack.called("chat.postMessage")}
            return len(channels) + len(slack.responses) >= len(app_urls)

        try:
            async with asyncio.timeout(30):
                await slack.wait_for_long(answered)
        except TimeoutError:
            print("FAILED: not every answer reached the fake Slack within 30 s", flush=True)
            return 1
        for params in slack.called("chat.postMessage"):
            print(f"chat.postMessage to {params.get('channel')}: {str(params.get('text'))[:100]!r}")
        for response in slack.responses:
            print(f"response URL: {str(response.get('text'))[:100]!r}")
        print(f"Slack calls: {[call.method for call in slack.calls]}", flush=True)
        return 0
    finally:
        await slack.stop()


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url_file")
    parser.add_argument("--ready", action="append", required=True, help="a /readyz URL")
    parser.add_argument("--app", action="append", required=True, help="a /slack/events URL")
    parser.add_argument("--wait", type=float, default=600, help="seconds to wait for readiness")
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = parse(sys.argv[1:])
    sys.exit(asyncio.run(main(args.url_file, args.ready, args.app, args.wait)))
