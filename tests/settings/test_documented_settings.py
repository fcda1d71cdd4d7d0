"""The settings are declared once, in the models: the README's configuration table and
deploy/paperbot.env.example name exactly the variables the models read."""

from __future__ import annotations

import re
from pathlib import Path

from bot.cli.adapter_settings import MODELS
from bot.settings_source import ENV_FILE_SETTING, variables_of

ROOT = Path(__file__).resolve().parents[2]
VARIABLE = re.compile(r"\bPAPERBOT_[A-Z0-9_]+\b")


def declared() -> set[str]:
    return {name for model in MODELS for name in variables_of(model)} | {ENV_FILE_SETTING}


def readme_table() -> set[str]:
    """The variables in the first column of the table under the README's ``## Configuration``."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## Configuration\n")[1]
    table = section.split("\n| variable |", 1)[1].split("\n\n", 1)[0]
    first_columns = re.findall(r"^\| (.+?) \|", table, re.MULTILINE)
    return {name for cell in first_columns for name in VARIABLE.findall(cell)}


def example_file() -> set[str]:
    """The variables deploy/paperbot.env.example sets or shows commented out."""
    text = (ROOT / "deploy" / "paperbot.env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#? ?(PAPERBOT_[A-Z0-9_]+)=", text, re.MULTILINE))


def test_the_readme_table_names_every_setting_and_no_other() -> None:
    assert readme_table() == declared()


def test_the_example_settings_file_names_every_setting_and_no_other() -> None:
    assert example_file() == declared() - {ENV_FILE_SETTING}
