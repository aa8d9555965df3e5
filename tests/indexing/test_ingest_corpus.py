"""The whole shared corpus ingests cleanly, with the counts its README gives."""

from __future__ import annotations

from indexing.ingest import ingest

# From ../shared/corpus/README.md: trials per source file.
README_COUNTS = {
    "allpublicxml/AllPublicXML-sample.zip": 6787,
    "ctgov-v2/bulk/ctg-studies-erectile-dysfunction.json.zip": 635,
    "ctgov-v2/bulk/ctg-studies-herniated-disc.json": 100,
    "ctgov-v2/bulk/ctg-studies-asthma.json": 10,
    "ctgov-v2/pages/studies-page-kras-pancreatic.json": 10,
    "ctgov-v2/pages/studies-page-1-study.json": 1,
    "ctgov-v2/pages/studies-page-2-studies.json": 2,
    "ctgov-v2/studies/NCT02513394.json": 1,
    "ctgov-v2/studies/NCT06008288.json": 1,
    "ctgov-v2/studies/NCT00184067.json": 1,
    "ctgov-v2/studies/NCT03934567.json": 1,
}
DISTINCT_TRIALS = 7542


def test_every_record_ingests_and_counts_match_the_readme(corpus_store, corpus) -> None:
    store, summary = corpus_store
    assert summary.rejections == []
    per_file = {path.removeprefix(f"{corpus}/"): n for path, n in summary.read_per_path.items()}
    assert per_file == README_COUNTS
    assert summary.read == sum(README_COUNTS.values())
    assert store.count() == summary.inserted == DISTINCT_TRIALS
    # Three trials appear twice in the v2 files; four in both the XML zip and the v2 files.
    assert summary.updated + summary.unchanged == summary.read - DISTINCT_TRIALS


def test_newest_version_wins_across_formats(corpus_store) -> None:
    store, _ = corpus_store
    for nct_id in ("NCT00000410", "NCT00498680", "NCT00492635", "NCT00499317"):
        trial = store.get(nct_id)
        assert trial is not None and trial.provenance.format == "ctgov-v2-json", nct_id
    assert store.get("NCT00499317").dates.last_update_posted == "2023-08-14"


def test_reingesting_the_corpus_changes_nothing(corpus_store, corpus) -> None:
    store, _ = corpus_store
    before = store.content_hashes()
    again = ingest([corpus], store)
    assert again.rejections == []
    assert (again.inserted, again.updated) == (0, 0)
    assert again.unchanged == again.read
    assert store.content_hashes() == before


def test_stats_cover_every_trial(corpus_store) -> None:
    store, _ = corpus_store
    stats = store.stats()
    for counts in (stats.by_format, stats.by_status, stats.by_phase, stats.by_study_type):
        assert sum(counts.values()) == DISTINCT_TRIALS
    assert stats.by_format["ctgov-legacy-xml"] == 6787 - 4
