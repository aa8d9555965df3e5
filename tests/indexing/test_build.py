"""Index builds: published only when complete and verified; related lists are lookups that never list the trial itself.

These tests check plumbing with a fast hashing encoder; quality is tested with the real model elsewhere.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from indexing.build import BuildConfig, EmptyStore, build_index
from indexing.builds import CURRENT, CorruptBuild, NoBuild, list_builds
from indexing.embedding_cache import EmbeddingCache
from indexing.filters import TrialFilters
from indexing.related import InvalidNctId, RelatedIndex, TrialNotIndexed
from indexing.scoring import UnknownAspect
from indexing.store import TrialStore
from models.encoders import HashingEncoder

SEED = "NCT03458156"


@pytest.fixture(scope="module")
def small_store(corpus_store, tmp_path_factory) -> TrialStore:
    """300 real trials (the lowest NCT IDs, the seed and the v2 records) in a store of their own."""
    corpus, _ = corpus_store
    ids = sorted(corpus.content_hashes())
    chosen = [*ids[:250], SEED, *[i for i in ids if i.startswith("NCT06")][:49]]
    store = TrialStore(tmp_path_factory.mktemp("small") / "trials.sqlite")
    store.upsert(corpus.get_many(chosen).values())
    return store


@pytest.fixture(scope="module")
def built(small_store, tmp_path_factory) -> tuple[Path, RelatedIndex]:
    builds = tmp_path_factory.mktemp("builds")
    build_index(small_store, HashingEncoder(), EmbeddingCache(None), builds, BuildConfig(related_k=50))
    return builds, RelatedIndex.open_current(builds)


def test_manifest_records_how_the_build_was_made(built, small_store) -> None:
    builds, index = built
    m = index.manifest
    assert m["count"] == small_store.count() == len(index.ids)
    assert m["model"]["model_id"] == "hashing-64@1" and m["dim"] == 64
    assert set(m["weights"]) == {"condition", "intervention", "eligibility", "overview"}
    assert abs(sum(m["weights"].values()) - 1) < 1e-6
    assert m["index"]["overall"]["kind"] == "flat-ip"
    assert {"ids.json", "catalog.jsonl", "related.npz", "overall.faiss", "condition.faiss"} <= set(m["files"])
    assert all(len(f["sha256"]) == 64 for f in m["files"].values())
    assert m["source"]["fingerprint"] and m["code_version"] and m["created_at"]
    assert (builds / CURRENT).resolve() == index.path


def test_the_trial_itself_never_appears_and_lists_are_full(built) -> None:
    _, index = built
    for nct_id in index.ids[:60]:
        result = index.related(nct_id, limit=20)
        assert len(result.hits) == 20
        assert nct_id not in [h.nct_id for h in result.hits]
        scores = [h.score for h in result.hits]
        assert scores == sorted(scores, reverse=True)


def test_unfiltered_lists_come_from_the_precomputed_lists_and_match_a_live_search(built) -> None:
    _, index = built
    pre = index.related(SEED, limit=10)
    assert pre.source == "precomputed"
    row = index.row_of(SEED)
    live_ids, live_scores = index._live(row, "overall", 10, TrialFilters())
    assert [index.ids[i] for i in live_ids] == [h.nct_id for h in pre.hits]
    assert np.allclose(live_scores, [h.score for h in pre.hits], atol=1e-5)


def test_hits_carry_aspect_scores_and_reasons(built) -> None:
    _, index = built
    hit = index.related(SEED, limit=5).hits[0]
    assert set(hit.aspect_scores) == {"condition", "intervention", "eligibility", "overview"}
    assert isinstance(hit.why, list)
    assert set(hit.as_json()) == {"nct_id", "title", "conditions", "score", "aspect_scores", "why"}


def test_filters_that_remove_neighbours_fall_back_to_a_live_search(built) -> None:
    _, index = built
    statuses = frozenset({"RECRUITING", "NOT_YET_RECRUITING"})
    catalog_by_row = index.catalog
    matching = sum(e.overall_status in statuses for e in catalog_by_row)
    row = index.row_of(SEED)
    in_precomputed = sum(catalog_by_row[c].overall_status in statuses for c in index.neighbours[row])
    limit = in_precomputed + 1
    assert limit <= matching, "the sample must hold more matching trials than one precomputed list shows"
    result = index.related(SEED, limit=limit, filters=TrialFilters(statuses=statuses))
    assert result.source == "live search"
    assert len(result.hits) == limit
    catalog = {e.nct_id: e for e in index.catalog}
    assert all(catalog[h.nct_id].overall_status in statuses for h in result.hits)


def test_aspect_lists_rank_by_that_aspect(built) -> None:
    _, index = built
    result = index.related(SEED, limit=5, aspect="condition")
    scores = [h.aspect_scores["condition"] for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    assert [round(h.score, 5) for h in result.hits] == [round(s, 5) for s in scores]


def test_bad_requests_are_clear_errors(built) -> None:
    _, index = built
    with pytest.raises(InvalidNctId, match="expected 'NCT' followed by 8 digits"):
        index.related("NCT123")
    with pytest.raises(TrialNotIndexed, match="NCT99999999 is not in build"):
        index.related("NCT99999999")
    with pytest.raises(UnknownAspect, match="unknown aspect 'colour'; choose one of: overall, condition"):
        index.related(SEED, aspect="colour")
    with pytest.raises(ValueError, match="limit must be between 1 and 100"):
        index.related(SEED, limit=0)


def test_empty_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EmptyStore, match="holds no trials"):
        build_index(TrialStore(tmp_path / "empty.sqlite"), HashingEncoder(), EmbeddingCache(None), tmp_path / "b")
    assert not (tmp_path / "b" / CURRENT).exists()


def test_no_build_published_yet(tmp_path: Path) -> None:
    with pytest.raises(NoBuild, match="run `trials build` first"):
        RelatedIndex.open_current(tmp_path)


def _copy_build(built, tmp_path: Path) -> Path:
    import shutil

    _, index = built
    target = tmp_path / index.path.name
    shutil.copytree(index.path, target)
    return target


def test_a_truncated_file_is_refused(built, tmp_path: Path) -> None:
    copy = _copy_build(built, tmp_path)
    faiss_file = copy / "overall.faiss"
    with faiss_file.open("r+b") as handle:
        handle.truncate(faiss_file.stat().st_size // 2)
    with pytest.raises(CorruptBuild, match=r"overall.faiss has .* bytes, manifest says"):
        RelatedIndex.open(copy)


def test_a_changed_file_of_the_same_size_is_refused(built, tmp_path: Path) -> None:
    copy = _copy_build(built, tmp_path)
    ids = copy / "ids.json"
    text = ids.read_text()
    ids.write_text(text.replace("NCT0", "NCT1", 1))
    with pytest.raises(CorruptBuild, match=r"ids.json does not match its SHA-256"):
        RelatedIndex.open(copy)


def test_an_incomplete_build_is_refused(built, tmp_path: Path) -> None:
    copy = _copy_build(built, tmp_path)
    (copy / "catalog.jsonl").unlink()
    with pytest.raises(CorruptBuild, match=r"catalog.jsonl is missing"):
        RelatedIndex.open(copy)
    (copy / "manifest.json").unlink()
    with pytest.raises(CorruptBuild, match=r"no manifest.json"):
        RelatedIndex.open(copy)


def test_a_build_that_fails_verification_is_never_published(small_store, tmp_path: Path, monkeypatch) -> None:
    builds = tmp_path / "builds"
    build_index(small_store, HashingEncoder(), EmbeddingCache(None), builds, BuildConfig(related_k=10))
    before = (builds / CURRENT).resolve()

    import indexing.build as build_module

    real_write = build_module.write_manifest

    def corrupt_after_manifest(staged: Path, manifest: dict) -> dict:
        written = real_write(staged, manifest)
        with (staged / "related.npz").open("ab") as handle:
            handle.write(b"garbage")
        return written

    monkeypatch.setattr(build_module, "write_manifest", corrupt_after_manifest)
    with pytest.raises(CorruptBuild):
        build_index(small_store, HashingEncoder(), EmbeddingCache(None), builds, BuildConfig(related_k=10))
    assert (builds / CURRENT).resolve() == before
    assert [p.name for p in builds.iterdir() if p.name.startswith(".tmp-")] == []
    assert len(list_builds(builds)) == 1


def test_a_second_build_switches_current_atomically(small_store, tmp_path: Path) -> None:
    builds = tmp_path / "builds"
    first = build_index(small_store, HashingEncoder(), EmbeddingCache(None), builds, BuildConfig(related_k=10))
    second = build_index(small_store, HashingEncoder(), EmbeddingCache(None), builds, BuildConfig(related_k=10))
    assert first.build_id != second.build_id
    assert os.readlink(builds / CURRENT) == second.build_id
    listed = list_builds(builds)
    assert [b.build_id for b in listed] == [second.build_id, first.build_id]
    assert listed[0].current and not listed[1].current


def test_hnsw_above_the_threshold_records_its_recall(small_store, tmp_path: Path) -> None:
    result = build_index(
        small_store,
        HashingEncoder(),
        EmbeddingCache(None),
        tmp_path / "b",
        BuildConfig(related_k=10, hnsw_threshold=100),
    )
    info = result.manifest["index"]["overall"]
    assert info["kind"] == "hnsw-ip" and 0.9 <= info["recall@10"] <= 1.0
    json.dumps(result.manifest)
