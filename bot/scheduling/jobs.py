"""The digest job: what runs when a subscription's trigger fires (or at start, to catch up).

It works out which fire it is serving from the clock rather than being told: after a restart the
job runs late, and the fire it serves is the latest one at or before now. A fire older than the
grace window is recorded as missed and reported; one from before the subscription was created or
last changed is not this subscription's to serve.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from bot.digests.run import DigestRunner
from bot.model.digests import RunState
from bot.scheduling.triggers import digest_trigger, last_fire
from storage.subscriptions import get_subscription

LOOKBACK = timedelta(days=8)  # a weekly digest fires once a week


async def run_due_digest(runner: DigestRunner, subscription_id: int) -> RunState | None:
    deps = runner.deps
    sub = await deps.db.read(partial(get_subscription, subscription_id=subscription_id))
    if sub is None or not sub.enabled or sub.channel.platform not in runner.platforms:
        return None
    now = deps.clock()
    trigger, grace = digest_trigger(sub.spec), runner.policy.grace
    # Usually the fire is minutes old: look at the grace window first, further back only to
    # find (and report) a fire that was missed.
    fire = last_fire(trigger, now, grace) or last_fire(trigger, now, max(LOOKBACK, grace))
    if fire is None or (sub.updated_at is not None and fire < sub.updated_at):
        return None
    if now - fire > runner.policy.grace:
        await runner.note_missed(sub, fire)
        return RunState.MISSED
    return await runner.run(sub, fire)
