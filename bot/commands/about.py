"""``about``: which paperbot answers here, what its catalog holds and where its papers come from.

What an admin or a new team member asks first when the bot's answers look old or thin.
"""

from __future__ import annotations

from sqlmodel import Session

from bot.commands.spec import Command, Context
from bot.reply import Code, Heading, Reply, Text
from bot.usage import UsageError
from bot.version import paperbot_version
from storage.papers import count_papers, latest_daily_date
from storage.subscriptions import channel_subscriptions


async def run_about(ctx: Context, args: str) -> Reply:
    if args.strip():
        raise UsageError("about takes no words: /papers about")
    channel = ctx.channel
    offline = ctx.deps.settings.offline

    def about(session: Session) -> Reply:
        papers = count_papers(session)
        newest = latest_daily_date(session)
        kinds = sorted(sub.spec.kind for sub in channel_subscriptions(session, channel))
        catalog = f"Catalog: {papers:,} paper{'s' if papers != 1 else ''}"
        catalog += f", the newest from the Daily Papers of {newest:%a %d %b %Y}." if newest else "."
        digests = (
            f"This channel's digests: {' and '.join(kinds)}."
            if kinds
            else "This channel has no digest; /papers help subscribe shows how to start one."
        )
        source = (
            ("Offline: answers come from the catalog only (", Code("PAPERBOT_OFFLINE"), ").")
            if offline
            else ("Papers the catalog lacks are asked of Hugging Face.",)
        )
        return Reply(
            (
                Heading(f"paperbot {paperbot_version()}"),
                Text("Hugging Face Daily Papers for your team: search, trending, votes, digests."),
                Text(catalog),
                Text(digests),
                Text(source, "muted"),
            ),
            private=True,
        )

    return await ctx.deps.db.read(about)


ABOUT = Command(
    name="about",
    usage="about",
    summary="which paperbot this is, what its catalog holds, this channel's digests",
    handler=run_about,
    examples=("about",),
    private=True,
)
