"""Fixtures shared by the whole suite: the shared corpus and a store built from it once."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pytest

from indexing.ingest import IngestSummary, ingest
from indexing.store import TrialStore

REPO = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    """The shared data folder: TRIALS_SHARED_DIR, else ../shared beside the repository."""
    return Path(os.environ.get("TRIALS_SHARED_DIR", REPO.parent / "shared"))


def corpus_dir() -> Path:
    """The sample corpus: TRIALS_CORPUS_DIR, else SHARED/corpus."""
    return Path(os.environ.get("TRIALS_CORPUS_DIR", shared_dir() / "corpus"))


@pytest.fixture(scope="session")
def corpus() -> Path:
    path = corpus_dir()
    if not (path / "allpublicxml").is_dir():
        pytest.skip(f"the shared sample corpus is absent at {path} (set TRIALS_CORPUS_DIR to its location)")
    return path


@pytest.fixture(scope="session")
def corpus_store(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[TrialStore, IngestSummary]:
    """The whole sample corpus ingested once per test session (about 15 s)."""
    store = TrialStore(tmp_path_factory.mktemp("corpus") / "trials.sqlite")
    summary = ingest([corpus], store)
    return store, summary


SEED = "NCT03458156"
_LUPUS = re.compile(r"lupus|\bSLE\b", re.IGNORECASE)
# Hard distractors: other kidney, rheumatic and stem-cell trials a weak ranking would mix in.
_NEAR_MISS = re.compile(
    r"nephri|kidney|renal|arthritis|autoimmun|vasculitis|scleroderma|stem cell|transplant", re.IGNORECASE
)


def is_lupus(conditions: list[str], title: str) -> bool:
    """A lupus trial: SLE or lupus nephritis in its conditions or title."""
    return any(_LUPUS.search(c) for c in conditions) or bool(_LUPUS.search(title))


@pytest.fixture(scope="session")
def subset_db(corpus_store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every lupus trial of the corpus, 150 near misses, and a seeded random 200 of the rest (~380 real trials)."""
    store, _ = corpus_store
    trials = list(store.iter_trials())
    lupus = [t for t in trials if is_lupus(t.conditions + [m.term for m in t.condition_mesh], t.brief_title)]
    lupus_ids = {t.nct_id for t in lupus}
    near = [t for t in trials if t.nct_id not in lupus_ids and any(_NEAR_MISS.search(c) for c in t.conditions)][:150]
    near_ids = {t.nct_id for t in near}
    rest = [t for t in trials if t.nct_id not in lupus_ids | near_ids]
    rng = np.random.default_rng(0)
    picked = lupus + near + [rest[i] for i in rng.choice(len(rest), size=200, replace=False)]
    db = tmp_path_factory.mktemp("subset") / "trials.sqlite"
    with TrialStore(db) as subset:
        subset.upsert(picked)
    assert len(lupus) >= 20
    return db


@pytest.fixture(scope="session")
def subset_build(subset_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A real build of the subset with the default model, made by the CLI: (builds dir, cache file)."""
    from click.testing import CliRunner

    from trials_cli.main import cli

    work = tmp_path_factory.mktemp("subset-build")
    builds, cache = work / "builds", work / "cache.sqlite"
    result = CliRunner().invoke(
        cli, ["build", "--db", str(subset_db), "--builds-dir", str(builds), "--cache", str(cache)]
    )
    assert result.exit_code == 0, result.output + result.stderr
    return builds, cache


@pytest.fixture(scope="session")
def real_encoder():
    """The default model, loaded once for the session."""
    from models.encoders import load_encoder

    return load_encoder()
