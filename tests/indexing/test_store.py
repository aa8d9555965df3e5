"""The store keeps the newest version of each trial and writes whole batches or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexing.store import Outcome, StoreError, TrialStore
from models import Provenance, SourceFormat, Trial, TrialDates


def make_trial(
    nct_id: str = "NCT00000001", updated: str = "2020-01-01", title: str = "A trial", registry: str = "2024-01-01"
) -> Trial:
    return Trial(
        nct_id=nct_id,
        brief_title=title,
        dates=TrialDates(last_update_posted=updated),
        provenance=Provenance(format=SourceFormat.CTGOV_V2_JSON, source_file="test.json", registry_date=registry),
    )


@pytest.fixture
def store(tmp_path: Path) -> TrialStore:
    return TrialStore(tmp_path / "store.sqlite")


def outcomes(results) -> list[Outcome]:
    return [r.outcome for r in results]


def test_insert_then_unchanged_then_update(store: TrialStore) -> None:
    assert outcomes(store.upsert([make_trial()])) == [Outcome.INSERTED]
    assert outcomes(store.upsert([make_trial()])) == [Outcome.UNCHANGED]
    assert outcomes(store.upsert([make_trial(updated="2021-05-05", title="Renamed")])) == [Outcome.UPDATED]
    stored = store.get("NCT00000001")
    assert stored is not None and stored.brief_title == "Renamed"
    assert store.count() == 1


def test_an_older_version_never_replaces_a_newer_one(store: TrialStore) -> None:
    store.upsert([make_trial(updated="2021-05-05", title="New")])
    results = store.upsert([make_trial(updated="2019-01-01", title="Old")])
    assert outcomes(results) == [Outcome.SUPERSEDED]
    assert results[0].kept_version is not None and "2021-05-05" in results[0].kept_version
    assert store.get("NCT00000001").brief_title == "New"


def test_same_update_date_newer_registry_date_wins(store: TrialStore) -> None:
    store.upsert([make_trial(title="From 2023 copy", registry="2023-02-03")])
    store.upsert([make_trial(title="From 2024 copy", registry="2024-09-24")])
    store.upsert([make_trial(title="From 2023 copy", registry="2023-02-03")])
    assert store.get("NCT00000001").brief_title == "From 2024 copy"


def test_the_same_trial_twice_in_one_batch_keeps_the_newest(store: TrialStore) -> None:
    results = store.upsert(
        [make_trial(updated="2022-01-01", title="New"), make_trial(updated="2020-01-01", title="Old")]
    )
    assert outcomes(results) == [Outcome.INSERTED, Outcome.SUPERSEDED]
    assert store.get("NCT00000001").brief_title == "New"


class Exploding(Trial):
    """A record whose serialisation fails halfway through a batch."""

    def model_dump_json(self, **kwargs):  # type: ignore[override]
        raise RuntimeError("disk full")


def test_a_failure_mid_batch_leaves_the_store_as_it_was(store: TrialStore) -> None:
    store.upsert([make_trial("NCT00000001", title="Before")])
    before = store.content_hashes()
    bad = Exploding.model_construct(**make_trial("NCT00000003").__dict__)
    batch = [make_trial("NCT00000001", updated="2025-01-01", title="After"), make_trial("NCT00000002"), bad]
    with pytest.raises(RuntimeError, match="disk full"):
        store.upsert(batch)
    assert store.content_hashes() == before
    assert store.get("NCT00000001").brief_title == "Before"
    assert store.get("NCT00000002") is None


def test_records_round_trip_exactly(store: TrialStore, corpus_store) -> None:
    corpus, _ = corpus_store
    original = corpus.get("NCT02513394")
    store.upsert([original])
    assert store.get("NCT02513394") == original


def test_read_only_store_must_exist(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"no trial store at .*run `trials ingest` first"):
        TrialStore(tmp_path / "missing.sqlite", read_only=True)


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("these are my notes, not a database")
    with pytest.raises(StoreError, match="is not a trial store"):
        TrialStore(path, read_only=True)
    assert path.read_text() == "these are my notes, not a database"


def test_stats(store: TrialStore) -> None:
    store.upsert([make_trial("NCT00000001"), make_trial("NCT00000002")])
    stats = store.stats()
    assert stats.total == 2
    assert stats.by_format == {"ctgov-v2-json": 2}
    assert stats.by_status == {"UNKNOWN": 2}
    assert stats.by_phase == {"NONE": 2}
