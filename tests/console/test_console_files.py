"""Files a reply carries, saved by the terminal chat: names a shell can type, never overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.console.files import safe_name, save_file
from bot.reply import Attachment


def attachment(filename: str, content: bytes = b"@article{x}") -> Attachment:
    return Attachment(filename, content, "application/x-bibtex", "Reading list")


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("week 49.png", "week-49.png"),
        ("reading list (team).bib", "reading-list-team.bib"),
        ("../../etc/passwd", "passwd"),
        (".hidden", "hidden"),
        ("-rf", "rf"),
        ("über.bib", "ber.bib"),
        ("...", "file"),
        ("", "file"),
    ],
)
def test_a_files_name_keeps_only_what_a_shell_types_safely(given: str, kept: str) -> None:
    assert safe_name(given) == kept


def test_the_folder_is_made_with_its_parents_when_missing(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "files"
    path = save_file(folder, attachment("top.bib"))
    assert path == (folder / "top.bib").resolve()
    assert path.read_bytes() == b"@article{x}"


def test_a_name_taken_gets_a_number_and_the_earlier_file_stays(tmp_path: Path) -> None:
    first = save_file(tmp_path, attachment("top.bib", b"1"))
    second = save_file(tmp_path, attachment("top.bib", b"2"))
    third = save_file(tmp_path, attachment("top.bib", b"3"))
    assert [p.name for p in (first, second, third)] == ["top.bib", "top-2.bib", "top-3.bib"]
    assert [p.read_bytes() for p in (first, second, third)] == [b"1", b"2", b"3"]
