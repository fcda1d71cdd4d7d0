"""``subscribe``, ``unsubscribe``, ``subscriptions`` and ``digest now``: a channel's digests.

Anyone may list a channel's subscriptions and ask for ``digest now``; who may change them is
``PAPERBOT_SUBSCRIPTION_EDITORS`` (default: anyone in the channel).

``digest now`` answers in the invoking channel with the digest a run firing now would post: the
same window, filters and ranking, fetched fresh from Hugging Face when it answers. It is an
explicit request, so it claims no ``digest_run`` (the scheduled digest still goes out as
planned) and does not leave out papers the channel saw in the last 7 days; its cards count as
shown, like any reply's, so the next scheduled digest does not repeat them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from functools import partial

from sqlmodel import Session

from bot.commands.spec import Command, Context, Option
from bot.digests.compose import digest_reply
from bot.digests.for_team import team_preference
from bot.digests.grammar import parse_kind, parse_subscribe
from bot.digests.select import select_papers
from bot.digests.subscription import MAX_MIN_UPVOTES, MAX_TOP_N
from bot.digests.window import DigestWindow, window_at, window_for
from bot.model import Channel, Paper
from bot.model.digests import (
    FINAL,
    MON_FRI,
    SUBSCRIPTION_KINDS,
    DigestRun,
    DigestSpec,
    Kind,
    RunState,
    Subscription,
    describe_weekdays,
)
from bot.reply import Code, Heading, Outcome, Part, Person, Reply, Span, Text, text_reply
from bot.reports.compose import build_report
from bot.scheduling.triggers import digest_trigger, next_fire
from bot.sources.errors import SourceError
from bot.usage import UsageError
from storage.digest_runs import recent_runs
from storage.papers import trending, upsert_papers
from storage.subscriptions import channel_subscriptions, delete_subscriptions, save_subscription

MAX_WINDOW_PAPERS = 5_000
WEEKEND_NOTE = (
    "Hugging Face lists no papers at weekends: the first digest after a Friday covers Friday, "
    "and the others until Tuesday have nothing new to post."
)


def may_edit(ctx: Context) -> bool:
    editors = ctx.deps.settings.subscription_editors
    return editors is None or ctx.invocation.user in editors


def not_allowed() -> Reply:
    return text_reply(
        "Only the people listed in PAPERBOT_SUBSCRIPTION_EDITORS can change digest "
        "subscriptions; ask one of them, or see them with /papers subscriptions.",
        outcome=Outcome.USAGE,
        private=True,
    )


def when_local(moment: datetime, spec: DigestSpec) -> str:
    local = moment.astimezone(spec.zone)
    return f"{local:%a %d %b %H:%M} {local.tzname()}"


def next_run_line(spec: DigestSpec, now: datetime, done: Collection[date] = ()) -> str:
    """The next fire that will post something: fires whose day was already covered (``done``,
    e.g. Saturday's and Monday's both covering Friday) are passed over."""
    trigger = digest_trigger(spec)
    fire = next_fire(trigger, now)
    for _ in range(14):
        if fire is None or window_at(spec, fire).digest_date not in done:
            break
        fire = next_fire(trigger, fire)
    if fire is None:
        return "No run is planned."
    return f"Next: {when_local(fire, spec)}, covering {window_at(spec, fire).label()}."


async def run_subscribe(ctx: Context, args: str) -> Reply:
    if not may_edit(ctx):
        return not_allowed()
    spec = parse_subscribe(args, ctx.deps.settings.timezone)
    now = ctx.deps.clock()
    wanted = Subscription(ctx.channel, spec, created_by=ctx.invocation.user)
    existing = await ctx.deps.db.read(partial(channel_subscriptions, channel=wanted.channel))
    saved = await ctx.deps.db.write(partial(save_subscription, sub=wanted, now=now))
    assert saved.id is not None
    ctx.deps.schedule.subscription_changed(saved.id)
    verb = "Updated" if any(s.spec.kind == spec.kind for s in existing) else "Subscribed"
    what = "gets the" if spec.kind == "report" else "'s digest goes out"
    parts: list[Part] = [
        Text(
            f"{verb}: this channel{' ' if spec.kind == 'report' else ''}{what} {spec.describe()}."
        ),
        Text(next_run_line(spec, now), "muted"),
    ]
    return Reply(tuple(parts))


async def run_unsubscribe(ctx: Context, args: str) -> Reply:
    kind = parse_kind(args)
    if not may_edit(ctx):
        return not_allowed()
    channel = ctx.channel
    removed = await ctx.deps.db.write(partial(delete_subscriptions, channel=channel, kind=kind))
    for subscription_id in removed:
        ctx.deps.schedule.subscription_removed(subscription_id)
    what = "team report" if kind == "report" else f"{kind} digest" if kind else "digests"
    if not removed:
        return text_reply(f"This channel has no {what} to stop.")
    return text_reply(f"Stopped this channel's {what}.")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def run_line(run: DigestRun) -> str:
    label = f"{run.digest_date:%a %d %b}"
    if run.state is RunState.POSTED and not run.paper_ids:  # a team report
        return f"{label}: posted in {plural(len(run.message_refs), 'message')}"
    if run.state is RunState.POSTED:
        papers, messages = len(run.paper_ids), len(run.message_refs)
        return f"{label}: posted, {plural(papers, 'paper')} in {plural(messages, 'message')}"
    if run.state is RunState.FAILED and run.next_attempt_at is not None:
        return f"{label}: failed ({run.error}); retrying at {run.next_attempt_at:%H:%M} UTC"
    if run.state is RunState.WAITING and run.next_attempt_at is not None:
        return f"{label}: waiting ({run.error}); looking again at {run.next_attempt_at:%H:%M} UTC"
    if run.state is RunState.CLAIMED:
        return f"{label}: being posted now"
    return f"{label}: {run.state.value}" + (f" ({run.error})" if run.error else "")


def listing(session: Session, channel: Channel, now: datetime) -> Reply:
    subs = channel_subscriptions(session, channel)
    if not subs:
        return Reply(
            (
                Text("This channel has no digest subscriptions."),
                Text(
                    ("Start one with e.g. ", Code("subscribe daily 09:00 Europe/Berlin top 5")),
                    "muted",
                ),
            )
        )
    parts: list[Part] = [Heading("Digest subscriptions of this channel")]
    for sub in subs:
        assert sub.id is not None
        spec = sub.spec
        described = spec.describe()
        line: list[Span] = [f"{described[:1].upper()}{described[1:]}"]
        if sub.created_by:
            line += [" · set by ", Person(sub.created_by)]
        parts.append(Text(line))
        runs = recent_runs(session, sub.id, limit=5)
        done = {run.digest_date for run in runs if run.state in FINAL}
        parts.append(Text(next_run_line(spec, now, done), "muted"))
        if runs:
            parts.append(Text("Recent: " + " · ".join(run_line(r) for r in runs), "muted"))
        if spec.kind == "daily" and any(day >= 5 for day in spec.weekdays):
            parts.append(Text(WEEKEND_NOTE, "muted"))
        elif spec.kind == "daily":
            days = describe_weekdays(spec.weekdays)
            parts.append(
                Text(f"{days}: each digest covers the previous weekday's papers.", "muted")
            )
    return Reply(tuple(parts))


async def run_subscriptions(ctx: Context, args: str) -> Reply:
    if args.strip():
        raise UsageError("subscriptions takes no arguments.")
    now = ctx.deps.clock()
    return await ctx.deps.db.read(partial(listing, channel=ctx.channel, now=now))


OFFLINE_NOTE = "paperbot runs offline (PAPERBOT_OFFLINE): this digest is the catalog's copy."


async def _fresh_papers(ctx: Context, window: DigestWindow) -> tuple[list[Paper], str | None]:
    """The window's papers, refreshed from Hugging Face first unless paperbot runs offline;
    the note says when they could not be."""
    fetched: list[Paper] = []
    note = OFFLINE_NOTE if ctx.deps.settings.offline else None
    if note is None:
        await ctx.progress(f"Fetching {window.label()} from Hugging Face…")
    for day in () if note else window.weekdays:
        try:
            fetched += await ctx.deps.source.daily_papers(day)
        except SourceError as error:
            note = f"Could not refresh from Hugging Face ({error}); using the catalog's copy."
            break
    if fetched:
        await ctx.deps.db.write(partial(upsert_papers, papers=fetched))
    listed = await ctx.deps.db.read(
        lambda s: trending(s, window.first, window.last, MAX_WINDOW_PAPERS)
    )
    return listed, note


def _pick(subs: Sequence[Subscription], kind: Kind | None) -> Subscription | None:
    for sub in subs:
        if sub.spec.kind == kind or (kind is None and sub.spec.kind != "report"):
            return sub
    return None


async def _report_now(ctx: Context, sub: Subscription | None) -> Reply:
    """``digest now report``: the team report of the seven days up to now, chart included; it
    claims no run, so the scheduled report still goes out."""
    now = ctx.deps.clock()
    if sub is None:
        spec = DigestSpec("report", timezone=ctx.deps.settings.timezone, weekdays=(4,))
        sub = Subscription(ctx.channel, spec, created_by=ctx.invocation.user)
    window = window_for("report", now.astimezone(sub.spec.zone).date())
    reply = await build_report(ctx.deps, sub, window, now)
    if reply is None:
        return text_reply("No votes in the last four weeks and no saves this week: no report yet.")
    return reply


async def run_digest(ctx: Context, args: str) -> Reply:
    word, _, rest = args.strip().partition(" ")
    if word.lower() != "now":
        raise UsageError('digest takes "now", e.g. digest now, or digest now weekly.')
    kind = parse_kind(rest)
    channel = ctx.channel
    subs = await ctx.deps.db.read(partial(channel_subscriptions, channel=channel))
    sub = _pick(subs, kind)
    if kind == "report":
        return await _report_now(ctx, sub)
    notes: list[str] = []
    if sub is None:
        weekdays = (0,) if kind == "weekly" else MON_FRI
        spec = DigestSpec(kind or "daily", timezone=ctx.deps.settings.timezone, weekdays=weekdays)
        sub = Subscription(channel, spec, created_by=ctx.invocation.user)
        notes.append(f"This channel has no {spec.kind} subscription; this is the default digest.")
    now = ctx.deps.clock()
    window = window_for(sub.spec.kind, now.astimezone(sub.spec.zone).date())
    listed, note = await _fresh_papers(ctx, window)
    if note:
        notes.append(note)
    chosen = sub
    index = ctx.deps.db.search_index
    preferred, team_note = await ctx.deps.db.read(
        lambda s: team_preference(s, index, chosen, listed)
    )
    if team_note:
        notes.append(team_note)
    selection = select_papers(listed, sub.spec, shown=(), preferred=preferred)
    if not selection.papers:
        if selection.listed == 0 and note:
            label = window.label()
            why = (
                "paperbot runs offline"
                if note == OFFLINE_NOTE
                else "Hugging Face was not reachable"
            )
            text = f"The catalog has no papers for {label}, and {why}."
            notes.remove(note)
            return Reply((Text(text, "error"),), outcome=Outcome.UNAVAILABLE)
        if selection.listed == 0:
            text = f"Hugging Face lists no papers for {window.label()} yet."
        else:
            text = f"No digest for {window.label()}: {selection.why_empty()}."
        return Reply((Text(text), *(Text(n, "muted") for n in notes)))
    return await ctx.deps.db.read(
        lambda s: digest_reply(s, chosen, window, selection.papers, " ".join(notes) or None)
    )


SUBSCRIBE = Command(
    name="subscribe",
    usage="subscribe [daily|weekly|report] [HH:MM] [Area/City | City] [mon-fri] [top N] "
    '[keywords "a, b"] [org "NAME"] [authors "A, B"] [min-upvotes N] [for-team]',
    summary="post the trending papers to this channel on a schedule",
    handler=run_subscribe,
    examples=(
        'subscribe daily 09:00 Europe/Berlin top 5 keywords "rlhf, reward model"',
        "subscribe weekly mon 08:30 America/New_York top 10 min-upvotes 20",
        'subscribe daily 09:00 Munich org "Google DeepMind"',
        'subscribe weekly fri 16:00 San Francisco authors "Yann LeCun, Fei-Fei Li"',
        "subscribe daily 09:00 for-team",
        "subscribe report weekly fri 16:00 Europe/Berlin",
    ),
    options=(
        Option(
            "kind", "A daily or a weekly digest, or the team report", choices=SUBSCRIPTION_KINDS
        ),
        Option("time", "Local time of day, HH:MM (default 09:00)", low=4, high=5),
        Option(
            "timezone",
            "Area/City or a city, e.g. Europe/Berlin or Munich",
            completes_time_zone=True,
        ),
        Option("days", "Weekdays, e.g. mon-fri or mon (weekly)", low=3, high=40),
        Option(
            "top",
            f"How many papers (default 5, at most {MAX_TOP_N})",
            "number",
            low=1,
            high=MAX_TOP_N,
            written="top {}",
        ),
        Option(
            "keywords",
            'Only papers about these, comma-separated: "rlhf, reward model"',
            low=1,
            high=300,
            written="keywords {}",
            quoted=True,
        ),
        Option(
            "org",
            'Only papers of these Hugging Face organizations: "Google DeepMind"',
            low=1,
            high=300,
            written="org {}",
            quoted=True,
        ),
        Option(
            "authors",
            'Only papers by these authors, comma-separated: "Yann LeCun, Fei-Fei Li"',
            low=1,
            high=300,
            written="authors {}",
            quoted=True,
        ),
        Option(
            "min_upvotes",
            "Only papers with at least this many Hugging Face upvotes",
            "number",
            low=0,
            high=MAX_MIN_UPVOTES,
            written="min-upvotes {}",
        ),
        Option(
            "for_team",
            "Order the papers by what this team voted up, not by Hugging Face upvotes",
            "flag",
            written="for-team",
        ),
    ),
)
UNSUBSCRIBE = Command(
    name="unsubscribe",
    usage="unsubscribe [daily|weekly|report]",
    summary="stop this channel's digests (all, or one kind)",
    handler=run_unsubscribe,
    examples=("unsubscribe", "unsubscribe weekly", "unsubscribe report"),
    options=(
        Option(
            "kind", "Only the daily or weekly digest, or the report", choices=SUBSCRIPTION_KINDS
        ),
    ),
)
SUBSCRIPTIONS = Command(
    name="subscriptions",
    usage="subscriptions",
    summary="this channel's digests, their next run and how the last ones went",
    handler=run_subscriptions,
    examples=("subscriptions",),
)
DIGEST = Command(
    name="digest",
    usage="digest now [daily|weekly|report]",
    summary="show this channel's digest right now",
    handler=run_digest,
    examples=("digest now", "digest now weekly", "digest now report"),
    options=(
        Option(
            "kind",
            "The daily (default) or weekly digest, or the report",
            choices=SUBSCRIPTION_KINDS,
        ),
    ),
    words="digest now",
)
SUBSCRIPTION_COMMANDS = (SUBSCRIBE, UNSUBSCRIBE, SUBSCRIPTIONS, DIGEST)
