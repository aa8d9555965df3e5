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
    record = json.loads(result.stdout)
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


@pytest.fixture(scope="module")
def hashing_build(small_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from indexing.build import BuildConfig, build_index
    from indexing.embedding_cache import EmbeddingCache
    from indexing.store import TrialStore
    from models.encoders import HashingEncoder

    builds = tmp_path_factory.mktemp("builds")
    with TrialStore(small_db, read_only=True) as store:
        build_index(store, HashingEncoder(), EmbeddingCache(None), builds, BuildConfig(related_k=20))
    return builds


def test_related_errors_are_one_line(hashing_build: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    malformed = runner.invoke(cli, ["related", "NCT0351", "--builds-dir", str(hashing_build)])
    assert malformed.exit_code == 2 and "'NCT0351' is not an NCT ID" in malformed.stderr
    unknown = runner.invoke(cli, ["related", "NCT99999999", "--builds-dir", str(hashing_build)])
    assert unknown.exit_code == 1 and "NCT99999999 is not in build" in unknown.stderr
    aspect = runner.invoke(cli, ["related", "NCT02513394", "--aspect", "colour", "--builds-dir", str(hashing_build)])
    assert aspect.exit_code == 2 and "'colour' is not one of 'overall', 'condition'" in aspect.stderr
    status = runner.invoke(cli, ["related", "NCT02513394", "--status", "DONE", "--builds-dir", str(hashing_build)])
    assert status.exit_code == 2 and "RECRUITING" in status.stderr
    none = runner.invoke(cli, ["related", "NCT02513394", "--builds-dir", str(tmp_path / "nothing")])
    assert none.exit_code == 1 and "no index build published" in none.stderr
    for result in (malformed, unknown, aspect, status, none):
        assert "Traceback" not in result.output + result.stderr
        assert result.stderr.strip().splitlines()[-1].startswith("Error: ")


def test_related_filters_on_the_command_line(hashing_build: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "related",
            "NCT02513394",
            "--status",
            "recruiting",
            "--limit",
            "3",
            "--json",
            "--builds-dir",
            str(hashing_build),
        ],
    )
    assert result.exit_code == 0, result.stderr
    hits = json.loads(result.stdout)["hits"]
    assert 1 <= len(hits) <= 3


def test_build_from_an_empty_store_is_one_line(tmp_path: Path) -> None:
    from indexing.store import TrialStore

    TrialStore(tmp_path / "empty.sqlite").close()
    result = CliRunner().invoke(
        cli, ["build", "--db", str(tmp_path / "empty.sqlite"), "--builds-dir", str(tmp_path / "b")]
    )
    assert result.exit_code == 1 and "holds no trials to build from" in result.stderr


def test_build_with_a_missing_model_is_one_line(small_db: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "--db", str(small_db), "--model", str(tmp_path / "no-model")])
    assert result.exit_code == 1 and "no sentence-transformers model at" in result.stderr
