"""Fixtures shared by the whole suite: the shared corpus and a store built from it once."""

from __future__ import annotations

import os
from pathlib import Path

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
