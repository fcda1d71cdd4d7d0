"""Every rendered block is one Slack accepts, and each detail of a card, a voter list and a
fallback text reads as meant: Slack refuses a whole message (``invalid_blocks``) for one
misspelt type or unknown field, so these are checked exactly, not by substring."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import unquote

import pytest

from adapters.slack.render import (
    MAX_HEADER_CHARS,
    MAX_SECTION_CHARS,
    fallback_text,
    render_file_preview,
    render_part,
    render_reply,
)
from bot.facade import parse_card_action, parse_vote_action
from bot.model import Tally, Voter
from bot.reply import (
    Attachment,
    Code,
    Heading,
    Link,
    PaperCard,
    Part,
    Reply,
    Text,
    VoterList,
)
from loopback.ports import make_paper

NOW = datetime(2026, 6, 12, 9, 0, tzinfo=UTC)
Block = dict[str, Any]


def text_object(obj: Block, kind: str) -> str:
    keys = {"type", "text", "emoji"} if kind == "plain_text" else {"type", "text"}
    assert obj["type"] == kind
    assert set(obj) <= keys
    assert isinstance(obj["text"], str)
    assert obj["text"]
    return str(obj["text"])


def check_block(block: Block) -> None:
    """Block Kit's shape for the four block types paperbot sends."""
    match block["type"]:
        case "header":
            assert set(block) == {"type", "text"}
            assert len(text_object(block["text"], "plain_text")) <= MAX_HEADER_CHARS
        case "section":
            assert set(block) == {"type", "text"}
            assert len(text_object(block["text"], "mrkdwn")) <= MAX_SECTION_CHARS
        case "context":
            assert set(block) == {"type", "elements"}
            for element in block["elements"]:
                text_object(element, "mrkdwn")
        case "actions":
            assert set(block) == {"type", "block_id", "elements"}
            for button in block["elements"]:
                assert set(button) == {"type", "text", "action_id", "value"}
                assert button["type"] == "button"
                assert button["text"]["emoji"] is True  # :shortcodes: in labels show as emoji
                text_object(button["text"], "plain_text")
        case other:
            pytest.fail(f"not a block type paperbot sends: {other}")


def card(**fields: object) -> PaperCard:
    paper = make_paper("2606.00467", "Linear attention", **fields)
    return PaperCard(paper, rank=None, tally=Tally(2, 1))


PARTS: list[Part] = [
    Heading("Search results"),
    Text("plain"),
    Text("quiet", "muted"),
    Text("broken", "error"),
    card(),
    PaperCard(make_paper("2606.00001", "P"), rank=3, votable=False),
    VoterList(make_paper("2606.00002", "Q"), (Voter("U1", 1, "button", None, "C1", NOW),)),
]


@pytest.mark.parametrize("part", PARTS, ids=lambda part: type(part).__name__)
def test_every_part_renders_to_blocks_slack_accepts(part: Part) -> None:
    blocks = render_part(part)
    assert blocks
    for block in blocks:
        check_block(block)


@pytest.mark.parametrize(
    "preview", ["@article{x, title={A}}", "x" * 5000, None], ids=["text", "long", "binary"]
)
def test_a_files_preview_is_blocks_slack_accepts(preview: str | None) -> None:
    file = Attachment("top.bib", b"@article{x}", "application/x-bibtex", "Top <papers>", preview)
    blocks = render_file_preview(file)
    for block in blocks:
        check_block(block)
    assert "top.bib" in blocks[0]["text"]["text"]


def test_a_muted_text_is_a_context_line_and_an_error_starts_with_a_warning_sign() -> None:
    (muted,) = render_part(Text("quiet", "muted"))
    assert muted == {"type": "context", "elements": [{"type": "mrkdwn", "text": "quiet"}]}
    (error,) = render_part(Text("broken", "error"))
    assert error["text"]["text"] == "⚠️ broken"
    (plain,) = render_part(Text(("a", "b")))
    assert plain["text"]["text"] == "ab"


def test_a_heading_longer_than_slack_allows_is_cut_at_a_word_with_an_ellipsis() -> None:
    (fits,) = render_part(Heading("h" * MAX_HEADER_CHARS))
    assert fits["text"]["text"] == "h" * MAX_HEADER_CHARS
    (over,) = render_part(Heading("h" * (MAX_HEADER_CHARS + 1)))
    assert over["text"]["text"] == "h" * (MAX_HEADER_CHARS - 1) + "…"
    (cut,) = render_part(Heading("a" * (MAX_HEADER_CHARS - 2) + " " + "b" * 10))
    assert cut["text"]["text"] == "a" * (MAX_HEADER_CHARS - 2) + "…"


def test_a_long_text_is_split_into_sections_at_line_ends_and_loses_nothing() -> None:
    text = ("x" * 139 + "\n") * 40  # 5,600 characters, 140 a line
    sections = [block["text"]["text"] for block in render_part(Text(text))]
    assert "".join(sections) == text
    assert [len(section) for section in sections] == [21 * 140, 19 * 140]
    exactly = "a\n" + "b" * (MAX_SECTION_CHARS - 2)
    assert len(render_part(Text(exactly))) == 1


def test_the_cards_buttons_are_labelled_and_carry_the_papers_id() -> None:
    _, tally, actions = render_part(card())
    assert tally["elements"][0]["text"] == "Team: 👍 2 · 👎 1"
    assert actions["block_id"] == "vote|2606.00467"
    labels = [button["text"]["text"] for button in actions["elements"]]
    assert labels == ["👍 Up", "👎 Down", "🔖 Save", "💬 Discuss", "🔍 Similar"]
    assert [button["value"] for button in actions["elements"]] == ["2606.00467"] * 5
    ids = [button["action_id"] for button in actions["elements"]]
    assert [parse_vote_action(i) for i in ids[:2]] == [("2606.00467", 1), ("2606.00467", -1)]
    assert [parse_card_action(i) for i in ids[2:]] == [
        ("save", "2606.00467"),
        ("discuss", "2606.00467"),
        ("similar", "2606.00467"),
    ]


def test_a_card_without_a_rank_or_ai_summary_shows_the_title_alone_and_the_abstract() -> None:
    paper_card = card(summary="An  abstract\n over two lines.", hf_daily_date=date(2026, 6, 11))
    lines = render_part(paper_card)[0]["text"]["text"].split("\n")
    assert lines[0] == "*<https://huggingface.co/papers/2606.00467|Linear attention>*"
    assert lines[-3] == "▲ 0 HF upvotes · Daily Papers 11 Jun 2026"
    assert lines[-2] == "An abstract over two lines."
    assert lines[-1] == (
        "<https://huggingface.co/papers/2606.00467|Hugging Face> · "
        "<https://arxiv.org/abs/2606.00467|arXiv> · <https://arxiv.org/pdf/2606.00467|PDF>"
    )


def test_a_link_cannot_be_ended_early_by_its_url_or_its_label() -> None:
    url = "https://x.io/a b|c<d>e"
    text = render_part(Text((Link(url, "one | two"),)))[0]["text"]["text"]
    target, label = text.removeprefix("<").removesuffix(">").split("|")
    assert unquote(target) == url
    assert not set(target) & set("<>| ")
    assert label == "one ¦ two"
    bare = render_part(Text((Link("https://x.io/b", ""),)))[0]["text"]["text"]
    assert bare == "<https://x.io/b>"  # no label: Slack shows the address
    github = render_part(card(github_repo=url))[0]["text"]["text"]
    assert github.count("|GitHub>") == 1
    assert unquote(github.split("<")[-1].split("|GitHub>")[0]) == url


def test_a_code_span_shows_markup_characters_as_they_are_typed() -> None:
    (block,) = render_part(Text((Code("a&b<c>d`e"),)))
    assert block["text"]["text"] == "`a&amp;b&lt;c&gt;dˋe`"


def test_a_voter_list_marks_each_vote_and_puts_each_voter_on_a_line() -> None:
    voters = (
        Voter("U01", 1, "button", None, "C1", NOW),
        Voter("U02", -1, "button", None, "C1", NOW),
    )
    part = VoterList(make_paper("2606.00002", "Two  words"), voters)
    lines = render_part(part)[0]["text"]["text"].split("\n")
    assert lines == [
        "*Two words*",
        "👍 <@U01>  button, 2026-06-12 09:00 UTC",
        "👎 <@U02>  button, 2026-06-12 09:00 UTC",
    ]


def test_the_fallback_text_is_each_parts_text_on_its_own_line() -> None:
    reply = Reply((Heading("Top"), Text(("a", "b")), card()))
    assert fallback_text(reply) == "Top\nab\nLinear attention"
    assert render_reply(Reply(())).text == "paperbot"  # Slack refuses an empty text
