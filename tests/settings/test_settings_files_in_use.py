"""An admin's view: ``paperbot`` reads ``paperbot.env`` where it starts, or the file
``PAPERBOT_ENV_FILE`` names, and secrets from ``*_FILE``; a mistake is one line and exit 78."""

from __future__ import annotations

from pathlib import Path

from tests.support.processes import run_paperbot

DEFAULT_FILE = {"PAPERBOT_ENV_FILE": ""}  # as an admin's shell: paperbot.env where it starts


def test_paperbot_env_in_the_working_directory_is_read(tmp_path: Path) -> None:
    database = tmp_path / "from-the-file.db"
    (tmp_path / "paperbot.env").write_text(
        f"PAPERBOT_DATABASE_URL=sqlite:///{database}\nPAPERBOT_OFFLINE=1\nPAPERBOT_LOAD_SAMPLE=0\n"
    )
    done = run_paperbot("ask", "help", env=DEFAULT_FILE, cwd=str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert database.is_file()


def test_a_bad_value_in_the_settings_file_exits_78_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "team.env").write_text("PAPERBOT_TIMEZONE=Mars/Olympus\n")
    done = run_paperbot("ask", "help", env={"PAPERBOT_ENV_FILE": str(tmp_path / "team.env")})
    assert done.returncode == 78
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1
    assert "PAPERBOT_TIMEZONE" in lines[0]


def test_doctor_names_a_secret_set_twice_and_exits_78(tmp_path: Path) -> None:
    (tmp_path / "hf_token").write_text("hf_secretfromafile0123\n")
    env = {"PAPERBOT_HF_TOKEN_FILE": str(tmp_path / "hf_token"), "PAPERBOT_HF_TOKEN": "hf_x"}
    done = run_paperbot("doctor", env={**env, **DEFAULT_FILE}, cwd=str(tmp_path))
    assert done.returncode == 78, done.stdout + done.stderr
    assert "PAPERBOT_HF_TOKEN or PAPERBOT_HF_TOKEN_FILE, not both" in " ".join(done.stdout.split())
    assert "hf_secretfromafile0123" not in done.stdout + done.stderr
