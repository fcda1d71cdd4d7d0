"""How each part reads in a Discord message: spans, tones, cuts that fit Discord's counts."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.discord.buttons import CardActionButton, VoteButton
from adapters.discord.render import escape_within, measure, render_reply
from bot.model import Tally, Voter
from bot.reply import Code, Heading, Link, PaperCard, Reply, Text, VoterList
from loopback.ports import make_paper


def content(*parts: Text | VoterList) -> str:
    return render_reply(Reply(parts)).content


def test_the_text_parts_of_a_message_are_its_content_one_a_line() -> None:
    assert render_reply(Reply((Heading("Top"), Text("b")))).content == "**Top**\nb"


def test_a_code_span_cannot_close_early_and_an_empty_one_shows_nothing() -> None:
    assert content(Text(("run ", Code("a`b"), "."))) == "run `aˋb`."
    assert content(Text(("run ", Code(""), "."))) == "run ."


def test_a_link_without_a_label_shows_its_address_without_a_preview() -> None:
    assert content(Text((Link("https://x.org/a b"),))) == "<https://x.org/a%20b>"


def test_a_muted_text_is_small_print_line_by_line_and_an_error_has_a_warning_sign() -> None:
    assert content(Text("one\n\ntwo", "muted")) == "-# one\n\n-# two"
    assert content(Text("broken", "error")) == "⚠️ broken"


def test_a_text_cut_to_fit_counts_its_escaped_length_and_ends_at_a_word() -> None:
    assert escape_within("a" * 10, 10) == "a" * 10
    assert escape_within("a" * 11, 10) == "a" * 9 + "…"
    assert escape_within("*" * 6, 10) == "\\*" * 4 + "…"
    assert escape_within("a" * 8 + " " + "b" * 5, 10) == "a" * 8 + "…"
    assert escape_within("x  y\n" + "z" * 20, 10) == "x y zzzzz…"  # on one line


def test_a_link_of_exactly_the_longest_address_is_kept_and_a_longer_one_dropped() -> None:
    fits = "https://github.com/" + "a" * (300 - len("https://github.com/"))
    too_long = fits + "b"
    for repo, shown in ((fits, True), (too_long, False)):
        card = PaperCard(make_paper("2606.00001", "P", github_repo=repo), tally=Tally())
        [embed] = render_reply(Reply((card,))).embeds
        assert ("[GitHub](" in (embed.description or "")) is shown


def test_a_cards_description_reads_line_by_line() -> None:
    paper = make_paper(
        "2606.00467",
        "Linear attention",
        authors=("Ada", "Grace"),
        upvotes=2,
        num_comments=1,
        summary="An *abstract*.",
        ai_keywords=("k" * 45, "lora"),
        submitted_by="a_b",
        project_page="https://a.io",
    )
    [embed] = render_reply(Reply((PaperCard(paper, tally=Tally(1, 0)),))).embeds
    assert embed.title == "Linear attention"  # no rank, no prefix
    assert embed.footer.text == "arXiv 2606.00467 · team votes 👍 1  👎 0"
    assert (embed.description or "").split("\n") == [
        "*Ada, Grace*",
        "-# Submitted by a\\_b",
        "▲ **2** upvotes on Hugging Face · 1 comment",
        "",
        "An \\*abstract\\*.",
        "-# " + "k" * 39 + "… · lora",
        "",
        "[Hugging Face](https://huggingface.co/papers/2606.00467) · "
        "[arXiv](https://arxiv.org/abs/2606.00467) · [PDF](https://arxiv.org/pdf/2606.00467) · "
        "[Project page](https://a.io)",
    ]


def test_a_voter_list_puts_each_voter_on_a_line_marked_with_their_vote() -> None:
    at = datetime(2026, 6, 12, 9, tzinfo=UTC)
    voters = (Voter("123", 1, "button", None, "C1", at), Voter("456", -1, "button", None, "C1", at))
    text = render_reply(Reply((VoterList(make_paper("2606.00001", "P"), voters),))).content
    stamp = int(at.timestamp())
    assert text.split("\n") == [
        "**P**",
        f"👍 <@123> · button · <t:{stamp}:R>",
        f"👎 <@456> · button · <t:{stamp}:R>",
    ]


def test_a_message_sends_its_content_embeds_and_buttons_and_omits_what_it_lacks() -> None:
    text = render_reply(Reply((Text("hi"),))).send_kwargs()
    assert (text["content"], text["embeds"], "view" in text) == ("hi", [], False)
    card = render_reply(Reply((PaperCard(make_paper("2606.00001", "P"), tally=Tally()),)))
    sent = card.send_kwargs()
    assert sent["content"] is None  # Discord refuses an empty string beside embeds
    assert sent["view"] is card.view is not None


def test_a_text_part_costs_its_length_and_the_line_break_that_joins_it() -> None:
    assert measure(Text("abc")) == 4
    assert measure(Text("abc", "error")) == len("⚠️ abc") + 1


def test_each_cards_buttons_sit_in_its_own_row_and_an_unranked_card_shows_counts_alone() -> None:
    cards = [PaperCard(make_paper(f"2606.{n:05d}", "P"), tally=Tally(n, 0)) for n in range(1, 4)]
    view = render_reply(Reply(tuple(cards))).view
    assert view is not None
    buttons = [item.item for item in view.children if isinstance(item, VoteButton)]
    assert [button.row for button in buttons] == [0, 0, 1, 1, 2, 2]
    assert [button.label for button in buttons] == ["1", "0", "2", "0", "3", "0"]
    assert [str(button.emoji) for button in buttons] == ["👍", "👎"] * 3
    actions = [item.item for item in view.children if isinstance(item, CardActionButton)]
    assert [button.row for button in actions] == [0, 0, 0, 1, 1, 1, 2, 2, 2]
    assert [button.label for button in actions] == ["Save", "Discuss", "Similar"] * 3
    assert [str(button.emoji) for button in actions] == ["🔖", "💬", "🔍"] * 3


def test_text_too_long_for_a_messages_content_is_cut_to_an_embeds_description() -> None:
    assert render_reply(Reply((Text("a" * 2000),))).content == "a" * 2000
    fits = render_reply(Reply((Text("a" * 2500),))).embeds[0].description
    assert fits == "a" * 2500
    exactly = render_reply(Reply((Text("a" * 4096),))).embeds[0].description
    assert exactly == "a" * 4096
    cut = render_reply(Reply((Text("a" * 5000),))).embeds[0].description
    assert cut == "a" * 4095 + "…"
