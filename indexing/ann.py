"""FAISS inner-product indexes: exact by default, HNSW above a size threshold, with its recall measured."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np

HNSW_M = 32
HNSW_EF_CONSTRUCTION = 200
HNSW_EF_SEARCH = 128


@dataclass(frozen=True)
class IndexInfo:
    """What kind of index was built and, for an approximate one, how well it recalls."""

    kind: str  # "flat-ip" or "hnsw-ip"
    recall_at_10: float | None = None  # against exact search, on a sample of the indexed vectors

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "recall@10": self.recall_at_10}


def build_ann(vectors: np.ndarray, hnsw_threshold: int, seed: int = 0) -> tuple[faiss.Index, IndexInfo]:
    """An index over unit vectors; inner product equals cosine similarity."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    n, dim = vectors.shape
    if n <= hnsw_threshold:
        flat = faiss.IndexFlatIP(dim)
        flat.add(vectors)
        return flat, IndexInfo("flat-ip")
    hnsw = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    hnsw.hnsw.efSearch = HNSW_EF_SEARCH
    hnsw.add(vectors)
    return hnsw, IndexInfo("hnsw-ip", measure_recall(hnsw, vectors, seed=seed))


def measure_recall(index: faiss.Index, vectors: np.ndarray, k: int = 10, queries: int = 200, seed: int = 0) -> float:
    """Mean recall@k of `index` against exact search, for a seeded sample of the indexed vectors as queries."""
    rng = np.random.default_rng(seed)
    picked = vectors[rng.choice(len(vectors), size=min(queries, len(vectors)), replace=False)]
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    _, truth = exact.search(picked, k)
    _, found = index.search(picked, k)
    return float(np.mean([len(set(t) & set(f)) / k for t, f in zip(truth, found, strict=True)]))


def stored_vectors(index: faiss.Index) -> np.ndarray:
    """The vectors an index holds, row i for id i, without a copy on disk."""
    flat = faiss.downcast_index(index.storage) if isinstance(index, faiss.IndexHNSWFlat) else index
    return faiss.rev_swig_ptr(flat.get_xb(), flat.ntotal * flat.d).reshape(flat.ntotal, flat.d)


def write_ann(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def read_ann(path: Path) -> faiss.Index:
    index = faiss.read_index(str(path))
    if isinstance(index, faiss.IndexHNSWFlat):
        index.hnsw.efSearch = HNSW_EF_SEARCH
    return index
