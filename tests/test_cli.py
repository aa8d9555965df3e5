"""The `trials` commands as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from trials_cli.main import cli


@pytest.fixture(scope="module")
def small_db(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "trials.sqlite"
    result = CliRunner().invoke(cli, ["ingest", str(corpus / "ctgov-v2"), "--db", str(db)])
    assert result.exit_code == 0, result.output + result.stderr
    assert "inserted" in result.output and "759 trials" in result.output
    return db


def test_show_prints_a_readable_record(small_db: Path) -> None:
    result = CliRunner().invoke(cli, ["show", "NCT02513394", "--db", str(small_db)])
    assert result.exit_code == 0
    assert result.output.startswith("NCT02513394  ")
    assert "results       yes" in result.output


def test_show_json_is_the_whole_record(small_db: Path) -> None:
    result = CliRunner().invoke(cli, ["show", "nct03934567", "--json", "--db", str(small_db)])
    assert result.exit_code == 0
    record = json.loads(result.output)
    assert record["nct_id"] == "NCT03934567" and record["provenance"]["format"] == "ctgov-v2-json"


def test_show_errors_are_one_line(small_db: Path, tmp_path: Path) -> None:
    malformed = CliRunner().invoke(cli, ["show", "NCT123", "--db", str(small_db)])
    assert malformed.exit_code == 2 and "'NCT123' is not an NCT ID" in malformed.stderr
    unknown = CliRunner().invoke(cli, ["show", "NCT99999999", "--db", str(small_db)])
    assert unknown.exit_code == 1 and unknown.stderr.strip() == f"Error: NCT99999999 is not in the store {small_db}"
    no_store = CliRunner().invoke(cli, ["show", "NCT99999999", "--db", str(tmp_path / "none.sqlite")])
    assert no_store.exit_code == 1 and "run `trials ingest` first" in no_store.stderr
    assert not (tmp_path / "none.sqlite").exists(), "reading must not create a store"


def test_stats(small_db: Path) -> None:
    result = CliRunner().invoke(cli, ["stats", "--db", str(small_db)])
    assert result.exit_code == 0
    assert "759 trials in the store" in result.output
    assert "ctgov-v2-json" in result.output and "by phase:" in result.output


def test_run_without_a_corpus_says_where_it_looked(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["run", "--db", str(tmp_path / "t.sqlite")], env={"TRIALS_CORPUS_DIR": str(tmp_path / "absent")}
    )
    assert result.exit_code == 1
    assert f"no sample corpus at {tmp_path / 'absent'}" in result.stderr


def test_console_script_is_installed() -> None:
    done = subprocess.run([Path(sys.executable).parent / "trials", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "ingest" in done.stdout
