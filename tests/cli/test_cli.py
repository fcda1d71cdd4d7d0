"""The ``paperbot`` command as a new user runs it: a real process, real settings, exit codes."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from bot.version import paperbot_version
from loopback.hf import FakeHfServer, recorded_catalog
from tests.support.databases import DIALECTS, copy_catalog, fresh_database_url
from tests.support.processes import child_env
from tests.support.processes import run_paperbot as paperbot


@pytest.fixture
def fresh(tmp_path: Path) -> dict[str, str]:
    return {"PAPERBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}", "PAPERBOT_OFFLINE": "1"}


@pytest.fixture
def hf_server() -> Iterator[FakeHfServer]:
    with FakeHfServer(recorded_catalog()) as server:
        yield server


def test_first_start_loads_the_sample_and_answers(fresh: dict[str, str]) -> None:
    done = paperbot("ask", "/papers today 2", env=fresh)
    assert done.returncode == 0, done.stderr
    assert "sample papers" in done.stdout
    assert "Trending on Hugging Face" in done.stdout
    bad = paperbot("ask", "/papers paper not-an-id", env=fresh)
    assert bad.returncode == 2
    assert "Usage: /papers paper" in bad.stdout


def test_shell_reads_piped_lines_and_exits_at_end_of_input(fresh: dict[str, str]) -> None:
    done = paperbot(
        "shell", env={**fresh, "PAPERBOT_LOAD_SAMPLE": "0"}, stdin="help\nsearch lora\n"
    )
    assert done.returncode == 0, done.stderr
    assert "/papers search" in done.stdout
    assert "No papers match 'lora'" in done.stdout


def test_version_prints_the_installed_version_and_needs_no_settings(fresh: dict[str, str]) -> None:
    done = paperbot("--version", env={**fresh, "PAPERBOT_TIMEZONE": "Mars/Olympus"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"paperbot {paperbot_version()}"
    assert paperbot_version() != "unknown"


def test_bad_configuration_exits_with_a_clear_message(fresh: dict[str, str]) -> None:
    done = paperbot("ask", "help", env={**fresh, "PAPERBOT_TIMEZONE": "Mars/Olympus"})
    assert done.returncode == 78
    assert "PAPERBOT_TIMEZONE" in done.stdout


def test_ingest_fills_the_catalog_from_hugging_face_idempotently(
    tmp_path: Path, hf_server: FakeHfServer
) -> None:
    env = {
        "PAPERBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "PAPERBOT_HF_BASE_URL": hf_server.base_url,
        "PAPERBOT_LOAD_SAMPLE": "0",
    }
    first = paperbot("ingest", "--since", "2026-05-28", "--until", "2026-05-30", env=env)
    assert first.returncode == 0, first.stderr
    assert "Ingested 3 day(s)" in first.stdout
    assert " 0 new" not in first.stdout
    again = paperbot("ingest", "--since", "2026-05-28", "--until", "2026-05-30", env=env)
    assert " 0 new" in again.stdout
    found = paperbot("ask", "today", env=env)
    assert "29 May 2026" in found.stdout


def test_export_writes_votes_as_json(sample_catalog_file: Path, tmp_path: Path) -> None:
    catalog = copy_catalog(sample_catalog_file, tmp_path / "catalog.db")
    fresh = {"PAPERBOT_DATABASE_URL": f"sqlite:///{catalog}", "PAPERBOT_OFFLINE": "1"}
    out = tmp_path / "votes.json"
    chat = paperbot("shell", env=fresh, stdin="today 2\nvote 1 up\nreact 2 :rocket:\n")
    assert chat.returncode == 0, chat.stderr
    done = paperbot("export", "votes", "--format", "json", "-o", str(out), env=fresh)
    assert done.returncode == 0, done.stderr
    assert out.read_text().count('"value": 1') == 2


def test_run_with_no_adapter_configured_names_the_settings_and_exits_78(
    fresh: dict[str, str],
) -> None:
    done = paperbot("run", env={**fresh, "PAPERBOT_CONSOLE": ""})
    assert done.returncode == 78
    for setting in ("PAPERBOT_SLACK_BOT_TOKEN", "PAPERBOT_DISCORD_TOKEN", "PAPERBOT_CONSOLE=1"):
        assert setting in done.stdout


def test_run_starts_the_console_adapter_the_settings_turn_on(fresh: dict[str, str]) -> None:
    done = paperbot("run", env={**fresh, "PAPERBOT_CONSOLE": "1"}, stdin="today 1\nvote 1 up\n")
    assert done.returncode == 0, done.stderr
    assert "👍 counted" in done.stdout
    assert "👍 1  👎 0" in done.stdout


def test_ask_refuses_gestures_with_a_usage_error(fresh: dict[str, str]) -> None:
    done = paperbot("ask", "vote 1 up", env={**fresh, "PAPERBOT_LOAD_SAMPLE": "0"})
    assert done.returncode == 2
    assert "need the shell" in done.stdout


def test_ingest_keeps_to_the_days_daily_papers_exist(fresh: dict[str, str]) -> None:
    ancient = paperbot("ingest", "--since", "0001-01-01", "--until", "0001-01-02", env=fresh)
    assert ancient.returncode == 2
    assert "Daily Papers exist from 2023-05-04" in ancient.stdout
    future = paperbot("ingest", "--since", "2026-06-10", "--until", "9999-12-31", env=fresh)
    assert "Traceback" not in future.stderr
    assert "ingesting 2026-06-10 to" in future.stdout
    assert future.returncode == 78  # then: offline, so nothing to ingest from


def test_export_to_a_missing_folder_or_a_directory_is_a_clear_error(
    fresh: dict[str, str], tmp_path: Path
) -> None:
    for target in (tmp_path / "no" / "such" / "votes.csv", tmp_path):
        done = paperbot("export", "votes", "-o", str(target), env=fresh)
        assert done.returncode == 2, done.stderr
        assert f"Cannot write {target}" in done.stdout.replace("\n", "")
        assert "Traceback" not in done.stderr


def test_export_into_a_closed_pipe_ends_quietly(fresh: dict[str, str]) -> None:
    env = child_env(fresh, PAPERBOT_LOAD_SAMPLE="0")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "export", "votes"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    process.stdout.close()  # like `| head` that has read all it wants
    _, stderr = process.communicate(timeout=120)
    assert "Traceback" not in stderr
    assert process.returncode == 0


def test_an_upstream_error_full_of_markup_is_printed_literally_after_the_days_are_stored(
    tmp_path: Path, hf_server: FakeHfServer
) -> None:
    env = {
        "PAPERBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "PAPERBOT_HF_BASE_URL": hf_server.base_url,
        "PAPERBOT_LOAD_SAMPLE": "0",
    }
    hf_server.respond_next(400, json={"error": "bad [/x] date [bold]"}, times=5)
    done = paperbot("ingest", "--date", "2026-05-28", env=env)
    assert "Traceback" not in done.stderr
    assert done.returncode == 1
    assert "[/x]" in done.stdout


def test_a_setting_full_of_markup_is_named_literally(fresh: dict[str, str]) -> None:
    done = paperbot("ask", "today", env={**fresh, "PAPERBOT_OFFLINE": "[/x]"})
    assert done.returncode == 78
    assert "PAPERBOT_OFFLINE" in done.stdout
    assert "[/x]" in done.stdout


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("PAPERBOT_DATABASE_URL", "sqlite:///{tmp}"),  # a folder
        ("PAPERBOT_DATABASE_URL", "sqlite:///{tmp}/notes.txt"),  # not a database
        ("PAPERBOT_DATABASE_URL", "postgresql://bot:s3cret@127.0.0.1:1/papers"),  # server down
        ("PAPERBOT_INTERACTIVE_TIMEOUT", "nan"),
    ],
)
def test_a_database_or_setting_that_cannot_work_exits_78_with_one_line(
    tmp_path: Path, setting: str, value: str
) -> None:
    (tmp_path / "notes.txt").write_text("not a database\n" * 100)
    env = {"PAPERBOT_OFFLINE": "1", "PAPERBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'ok.db'}"}
    done = paperbot("ask", "help", env={**env, setting: value.format(tmp=tmp_path)})
    assert done.returncode == 78
    assert "Traceback" not in done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1
    assert setting in lines[0]
    assert "s3cret" not in lines[0]


@pytest.mark.runs_long
@pytest.mark.timeout(600)  # eight interpreters on a busy machine: bounded by waits, not speed
def test_many_processes_asking_at_once_on_one_sqlite_file_all_answer_and_index_it_once(
    sample_catalog_file: Path, tmp_path: Path
) -> None:
    """The catalog has no search index yet: one process builds it, the others copy that."""
    shutil.copyfile(sample_catalog_file, tmp_path / "shared.db")
    env = child_env(
        PAPERBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'shared.db'}",
        PAPERBOT_OFFLINE="1",
        PAPERBOT_LOAD_SAMPLE="0",
        PAPERBOT_LOG_LEVEL="info",
    )
    queries = ["lora", "diffusion", "agents", "reasoning", "video", "speech", "robot", "math"]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "ask", f"search {q} limit:10"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for q in queries
    ]
    results = [(p.wait(timeout=180), p.communicate()[1]) for p in processes]
    assert [code for code, _ in results] == [0] * len(queries), [err for _, err in results]
    logs = "".join(err for _, err in results)
    assert logs.count("search index built") == 1, logs


async def test_the_shell_is_a_local_trial_that_never_syncs_the_catalog(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No network needed, and no sync warnings in the chat; ``paperbot run`` syncs."""
    from bot.cli import serve as serving
    from bot.settings import Settings

    served: list[Settings] = []

    async def record(settings: Settings, *_args: object, **_options: object) -> int:
        served.append(settings)
        return 0

    monkeypatch.setattr(serving, "serve", record)
    settings = Settings(database_url="sqlite:///unused.db", sync_minutes=15)
    await serving.cmd_shell(settings, None, None)  # type: ignore[arg-type]
    assert [s.sync_minutes for s in served] == [0]


class ChatOpened:
    """The shell's console as ``serve`` sees it: it only notes that it started, and ends."""

    platform, ends_by_itself, serving = "console", True, True
    poster = None

    def __init__(self, opened: threading.Event) -> None:
        self.opened = opened

    async def start(self) -> None:
        self.opened.set()

    async def wait(self) -> None:
        return None

    async def stop(self) -> None:
        return None


async def test_the_shell_opens_its_prompt_while_the_search_index_is_still_being_built(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The first start's index build runs behind the prompt; the shell waits for it at exit."""
    from bot.cli import serve as serving
    from bot.settings import Settings
    from storage.search_index import SearchIndex

    opened, indexed = threading.Event(), []

    def build(_index: SearchIndex, _session: object) -> None:
        indexed.append(opened.wait(timeout=20))  # True once the prompt is open, not before

    monkeypatch.setattr(SearchIndex, "sync", build)
    monkeypatch.setattr(serving, "configured_adapters", lambda *_: [ChatOpened(opened)])
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'bot.db'}", load_sample=False)
    assert await serving.cmd_shell(settings, Console(file=io.StringIO()), None) == 0  # type: ignore[arg-type]
    assert indexed == [True]


VIEWS = (("export", "votes"), ("ask", "/papers top"), ("ask", "/papers subscriptions"))


@pytest.fixture(scope="module")
def team_backup(
    sample_catalog_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, str], Path]:
    """A team's catalog (votes, a subscription) and its backup, made once for this file's tests;
    they only read both."""
    catalog = copy_catalog(sample_catalog_file, tmp_path_factory.mktemp("team") / "catalog.db")
    old = {"PAPERBOT_DATABASE_URL": f"sqlite:///{catalog}", "PAPERBOT_OFFLINE": "1"}
    chat = paperbot("shell", env=old, stdin="today 3\nvote 1 up\nvote 2 down\nsubscribe daily\n")
    assert chat.returncode == 0, chat.stderr
    backup = catalog.parent / "backup.json"
    done = paperbot("export", "all", "-o", str(backup), env=old)
    assert done.returncode == 0, done.stderr
    assert '"format": 1' in backup.read_text()
    return old, backup


@pytest.fixture(scope="module", params=DIALECTS)
def restored(
    request: pytest.FixtureRequest,
    team_backup: tuple[dict[str, str], Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, str]]:
    """The team's backup imported into an empty database of each dialect."""
    _, backup = team_backup
    with fresh_database_url(request.param, tmp_path_factory.mktemp("restored")) as url:
        new = {"PAPERBOT_DATABASE_URL": url, "PAPERBOT_OFFLINE": "1", "PAPERBOT_LOAD_SAMPLE": "0"}
        first = paperbot("import", str(backup), env=new)
        assert first.returncode == 0, first.stderr
        assert "1 subscriptions" in first.stdout
        yield new


def test_a_backup_restores_into_an_empty_database_and_importing_again_changes_nothing(
    team_backup: tuple[dict[str, str], Path], restored: dict[str, str]
) -> None:
    _, backup = team_backup
    again = paperbot("import", str(backup), env=restored)
    assert again.returncode == 0, again.stderr
    assert paperbot("export", "all", env=restored).stdout == backup.read_text()


@pytest.mark.parametrize("command", VIEWS, ids=" ".join)
def test_a_restored_database_shows_the_team_what_the_old_one_did(
    team_backup: tuple[dict[str, str], Path], restored: dict[str, str], command: tuple[str, str]
) -> None:
    old, _ = team_backup
    before, after = paperbot(*command, env=old), paperbot(*command, env=restored)
    assert after.returncode == 0, after.stderr
    assert after.stdout == before.stdout


def test_import_refuses_a_newer_backup_or_a_missing_file(
    fresh: dict[str, str], tmp_path: Path
) -> None:
    newer = tmp_path / "newer.json"
    newer.write_text('{"format": 99, "schema_revision": "0099"}')
    done = paperbot("import", str(newer), env=fresh)
    assert done.returncode == 2
    assert "newer paperbot" in done.stdout
    missing = paperbot("import", str(tmp_path / "nope.json"), env=fresh)
    assert missing.returncode == 2
    assert "Cannot read" in missing.stdout
