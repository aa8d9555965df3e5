"""Store to index build: embed every trial by aspect, index the vectors, precompute related lists, publish."""

from __future__ import annotations

import hashlib
import json
import platform
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from indexing.ann import build_ann, write_ann
from indexing.builds import discard, new_build_id, publish, staging_dir, write_manifest
from indexing.catalog import CatalogEntry, write_catalog
from indexing.embedding import AspectEmbedder, EmbeddingConfig
from indexing.embedding_cache import EmbeddingCache
from indexing.related import OVERALL, RelatedIndex
from indexing.scoring import DEFAULT_LEXICAL_WEIGHT, DEFAULT_WEIGHTS, combined_vectors, normalise_weights
from indexing.store import TrialStore
from models.encoders import Encoder
from models.lexical import TfidfScorer
from models.trial import Trial
from models.trial_text import ASPECTS, Aspect, full_text


class EmptyStore(RuntimeError):
    """There is nothing to build from."""


@dataclass(frozen=True)
class BuildConfig:
    """Everything that decides what a build contains; recorded in its manifest."""

    embedding: EmbeddingConfig = field(default_factory=EmbeddingConfig)
    weights: dict[Aspect, float] = field(default_factory=lambda: normalise_weights(DEFAULT_WEIGHTS))
    lexical_weight: float = DEFAULT_LEXICAL_WEIGHT
    related_k: int = 100
    candidates: int = 300  # dense neighbours rescored with the lexical score for each related list
    hnsw_threshold: int = 100_000  # above this many trials, HNSW instead of exact search
    batch_trials: int = 256  # trials embedded per step: bounds memory and paces the progress bar


@dataclass
class BuildProgress:
    """Hooks for stage-by-stage progress; silent by default."""

    on_stage: Callable[[str, int], None] = lambda name, total: None
    on_advance: Callable[[int], None] = lambda n: None


@dataclass
class BuildResult:
    """A published build and what it took."""

    build_id: str
    path: Path
    count: int
    manifest: dict[str, Any]


def code_version() -> str:
    """The installed package version, plus the git commit when run from a checkout."""
    try:
        version = metadata.version("open-related-trials")
    except metadata.PackageNotFoundError:
        version = "unknown"
    head = Path(__file__).resolve().parent.parent / ".git" / "HEAD"
    try:
        ref = head.read_text().strip()
        if ref.startswith("ref: "):
            ref = (head.parent / ref[5:]).read_text().strip()
        return f"{version}+g{ref[:10]}"
    except OSError:
        return version


def store_fingerprint(hashes: dict[str, str], nct_ids: Sequence[str]) -> str:
    """One hash over the (NCT ID, content hash) pairs a build is made of."""
    digest = hashlib.sha256()
    for nct_id in nct_ids:
        digest.update(f"{nct_id}:{hashes[nct_id]}\n".encode())
    return digest.hexdigest()


def _batches(store: TrialStore, nct_ids: Sequence[str], size: int) -> Iterator[list[Trial]]:
    for start in range(0, len(nct_ids), size):
        chunk = nct_ids[start : start + size]
        found = store.get_many(chunk)
        yield [found[n] for n in chunk]


def _lexical_for_candidates(lexical: sparse.csr_matrix, row: int, candidates: np.ndarray) -> np.ndarray:
    """TF-IDF cosine of one row with its candidates only: linear in the corpus, unlike an all-pairs product."""
    dense_row = lexical[row].toarray().ravel()
    return np.asarray(lexical[candidates] @ dense_row, dtype=np.float32)


def related_lists(
    overall: Any, vectors: np.ndarray, lexical: sparse.csr_matrix, config: BuildConfig, progress: BuildProgress
) -> tuple[np.ndarray, np.ndarray]:
    """Top-k related rows for every row: dense candidates from the overall index, rescored with the lexical score."""
    n = len(vectors)
    k = min(config.related_k, n - 1)
    pool = min(n, max(config.candidates, k) + 1)
    block = 256
    neighbours = np.full((n, k), -1, dtype=np.int32)
    scores = np.zeros((n, k), dtype=np.float32)
    progress.on_stage("related lists", n)
    for start in range(0, n, block):
        rows = np.arange(start, min(start + block, n))
        dense, cand = overall.search(np.ascontiguousarray(vectors[rows]), pool)
        lex = np.stack([_lexical_for_candidates(lexical, r, np.maximum(c, 0)) for r, c in zip(rows, cand, strict=True)])
        total = dense + config.lexical_weight * lex
        total[(cand == rows[:, None]) | (cand < 0)] = -np.inf  # a trial is never its own neighbour
        order = np.argsort(-total, axis=1, kind="stable")[:, :k]
        neighbours[rows] = np.take_along_axis(cand, order, axis=1)
        scores[rows] = np.take_along_axis(total, order, axis=1)
        progress.on_advance(len(rows))
    return neighbours, scores


def build_index(
    store: TrialStore,
    encoder: Encoder,
    cache: EmbeddingCache,
    builds_dir: Path,
    config: BuildConfig | None = None,
    progress: BuildProgress | None = None,
    nct_ids: Sequence[str] | None = None,
) -> BuildResult:
    """Build from every stored trial (or `nct_ids`), verify, and publish it as `current`."""
    config = config or BuildConfig()
    progress = progress or BuildProgress()
    started = time.perf_counter()
    hashes = store.content_hashes()
    ids = sorted(hashes) if nct_ids is None else sorted(set(nct_ids) & hashes.keys())
    if not ids:
        raise EmptyStore(f"the store {store.path} holds no trials to build from; run `trials ingest` first")
    fingerprint = store_fingerprint(hashes, ids)
    build_id = new_build_id(fingerprint)
    builds_dir.mkdir(parents=True, exist_ok=True)
    staged = staging_dir(builds_dir, build_id)
    try:
        timings: dict[str, float] = {}
        embedder = AspectEmbedder(encoder, cache, config.embedding)
        parts: dict[Aspect, list[np.ndarray]] = {a: [] for a in ASPECTS}
        catalog: list[CatalogEntry] = []
        texts: list[str] = []  # full texts for the lexical scorer, gathered in the same pass over the store
        progress.on_stage("embed", len(ids))
        tick = time.perf_counter()
        for batch in _batches(store, ids, config.batch_trials):
            for aspect, matrix in embedder.embed_trials(batch).items():
                parts[aspect].append(matrix)
            catalog.extend(CatalogEntry.from_trial(t) for t in batch)
            texts.extend(full_text(t) for t in batch)
            progress.on_advance(len(batch))
        timings["embed_s"] = time.perf_counter() - tick
        aspect_vectors = {a: np.vstack(parts[a]) for a in ASPECTS}
        del parts

        tick = time.perf_counter()
        progress.on_stage("lexical", len(ids))
        scorer = TfidfScorer()
        lexical = scorer.fit_transform(texts)
        del texts
        progress.on_advance(len(ids))
        timings["lexical_s"] = time.perf_counter() - tick

        tick = time.perf_counter()
        progress.on_stage("index", len(ASPECTS) + 1)
        index_info: dict[str, Any] = {}
        overall_vectors = combined_vectors(aspect_vectors, config.weights)
        overall, info = build_ann(overall_vectors, config.hnsw_threshold)
        write_ann(overall, staged / f"{OVERALL}.faiss")
        index_info[OVERALL] = info.as_json()
        progress.on_advance(1)
        for aspect in ASPECTS:
            index, info = build_ann(aspect_vectors[aspect], config.hnsw_threshold)
            write_ann(index, staged / f"{aspect.value}.faiss")
            index_info[aspect.value] = info.as_json()
            progress.on_advance(1)
        timings["index_s"] = time.perf_counter() - tick

        tick = time.perf_counter()
        neighbours, scores = related_lists(overall, overall_vectors, lexical, config, progress)
        timings["related_s"] = time.perf_counter() - tick

        (staged / "ids.json").write_text(json.dumps(ids))
        write_catalog(catalog, staged / "catalog.jsonl")
        np.savez(staged / "related.npz", neighbours=neighbours, scores=scores)
        sparse.save_npz(staged / "lexical.npz", lexical, compressed=False)
        (staged / "lexical-vocab.json").write_text(json.dumps(scorer.to_json()))
        timings["total_s"] = time.perf_counter() - started
        manifest = write_manifest(
            staged,
            {
                "build_id": build_id,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "count": len(ids),
                "model": encoder.describe() if hasattr(encoder, "describe") else {"model_id": encoder.model_id},
                "dim": encoder.dim,
                "embedding": asdict(config.embedding),
                "aspects": [a.value for a in ASPECTS],
                "weights": {a.value: round(w, 6) for a, w in config.weights.items()},
                "lexical": {"model_id": scorer.model_id, "weight": config.lexical_weight},
                "related_k": int(neighbours.shape[1]),
                "candidates": config.candidates,
                "index": index_info,
                "source": {"store": str(store.path), "fingerprint": fingerprint},
                "code_version": code_version(),
                "python": platform.python_version(),
                "embed_stats": asdict(embedder.stats),
                "timings": {k: round(v, 2) for k, v in timings.items()},
            },
        )
        RelatedIndex.open(staged).close()  # open it exactly as a reader would before anyone can see it
        final = publish(staged, builds_dir, build_id)
    except BaseException:
        discard(staged)
        raise
    return BuildResult(build_id, final, len(ids), manifest)
