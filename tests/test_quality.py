"""Quality with the real default model on small real subsets: lupus neighbours, and TrialSim against the lexical baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SEED, is_lupus
from trials_cli.main import cli


def test_related_trials_of_the_seed_are_lupus_trials(subset_db: Path, subset_build: tuple[Path, Path]) -> None:
    builds, _cache = subset_build
    runner = CliRunner()
    related = runner.invoke(cli, ["related", SEED, "--limit", "5", "--json", "--builds-dir", str(builds)])
    assert related.exit_code == 0, related.stderr
    answer = json.loads(related.stdout)
    assert answer["nct_id"] == SEED
    hits = answer["hits"]
    assert len(hits) == 5
    assert all(is_lupus(h["conditions"], h["title"]) for h in hits), [(h["nct_id"], h["conditions"]) for h in hits]
    assert all(set(h) == {"nct_id", "title", "conditions", "score", "aspect_scores", "why"} for h in hits)
    assert any(w.startswith(("shared", "similar")) for h in hits for w in h["why"])

    text = runner.invoke(cli, ["related", SEED, "--limit", "3", "--builds-dir", str(builds)])
    assert text.exit_code == 0 and text.output.startswith(f"Related to {SEED}")


def test_a_rebuild_with_nothing_changed_embeds_nothing(
    subset_db: Path, subset_build: tuple[Path, Path], tmp_path: Path
) -> None:
    _, cache = subset_build
    again = CliRunner().invoke(
        cli, ["build", "--db", str(subset_db), "--builds-dir", str(tmp_path), "--cache", str(cache)]
    )
    assert again.exit_code == 0, again.stderr
    assert " 0 windows embedded" in again.output


def test_trialsim_default_beats_the_lexical_baseline(corpus: Path, tmp_path: Path) -> None:
    trialsim = corpus.parent / "bench" / "trialsim"
    if not (trialsim / "labels.csv").is_file():
        pytest.skip(f"TrialSim labels absent at {trialsim}")
    result = CliRunner().invoke(
        cli,
        [
            "eval",
            "trialsim",
            "--labels",
            str(trialsim / "labels.csv"),
            "--trials",
            str(trialsim / "xml"),
            "--trials",
            str(corpus),
            "--json",
            "--cache",
            str(tmp_path / "cache.sqlite"),
        ],
    )
    assert result.exit_code == 0, result.output + result.stderr  # also: the default met its checked-in expectations
    report = json.loads(result.stdout)
    assert report["targets"] == 16
    systems = {s["name"]: s for s in report["systems"]}
    assert set(systems) == {"random", "published", "lexical", "dense-single", "dense-aspects", "hybrid"}
    default = next(s for s in report["systems"] if s["default"])
    assert default["name"] == "hybrid"
    assert default["nDCG@5"] > systems["lexical"]["nDCG@5"]
    assert default["P@1"] >= systems["lexical"]["P@1"]
    assert systems["random"]["nDCG@5"] < default["nDCG@5"]
