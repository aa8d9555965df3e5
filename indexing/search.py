"""Free-text search over a build: the dense baseline (the query against every aspect, weighted) with filters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from indexing.filters import TrialFilters
from indexing.related import RelatedIndex
from models.chunking import pack_windows
from models.encoders import Encoder, l2_normalise
from models.trial_text import ASPECTS, sentences

QUERY_WINDOW_TOKENS = 128


class ModelMismatch(RuntimeError):
    """The encoder at hand is not the one the build was embedded with; its query vectors would be meaningless."""


@dataclass
class SearchHit:
    """One trial matching a query."""

    nct_id: str
    title: str
    conditions: list[str]
    overall_status: str
    phases: list[str]
    study_type: str | None
    score: float

    def as_json(self) -> dict[str, Any]:
        return {**self.__dict__, "score": round(self.score, 4)}


@dataclass
class SearchResult:
    """One page of hits, best first, and how many trials pass the filters in all."""

    total: int
    offset: int
    hits: list[SearchHit] = field(default_factory=list)


def embed_query(encoder: Encoder, text: str, window_tokens: int = QUERY_WINDOW_TOKENS) -> np.ndarray:
    """A long query (a patient description) is cut at sentences into windows and pooled, like trial text."""
    units = sentences(text) or [text]
    windows = pack_windows(units, encoder.count_tokens(units), min(window_tokens, encoder.max_tokens))
    return l2_normalise(encoder.encode(windows).mean(axis=0, keepdims=True))[0]


class TrialSearcher:
    """Searches one opened build with the encoder it was built with."""

    def __init__(self, index: RelatedIndex, encoder: Encoder) -> None:
        built_with = index.manifest["model"]["model_id"]
        if built_with != encoder.model_id:
            raise ModelMismatch(
                f"build {index.build_id} was embedded with {built_with}; the loaded encoder is {encoder.model_id}"
            )
        self.index = index
        self.encoder = encoder
        # Scaling the query by sqrt(weight) per aspect makes one inner product with the overall
        # vectors equal the weighted sum of the query's cosine with each aspect.
        self._scale = np.concatenate([np.full(encoder.dim, np.sqrt(index.weights[a]), np.float32) for a in ASPECTS])

    def search(self, query: str, limit: int = 10, offset: int = 0, filters: TrialFilters | None = None) -> SearchResult:
        """Trials ranked by similarity to the query, after filters; `total` counts every trial that passes them."""
        filters = filters or TrialFilters()
        q = np.tile(embed_query(self.encoder, query), len(ASPECTS)) * self._scale
        n = len(self.index.ids)
        if filters:
            rows = np.fromiter((i for i, e in enumerate(self.index.catalog) if filters.accepts(e)), dtype=np.int64)
            scores = self.index.vectors["overall"][rows] @ q if len(rows) else np.zeros(0, np.float32)
            order = np.argsort(-scores, kind="stable")[offset : offset + limit]
            picked, picked_scores, total = rows[order], scores[order], len(rows)
        else:
            k = min(n, offset + limit)
            found_scores, found = self.index.indexes["overall"].search(q[None, :].astype(np.float32), k)
            picked, picked_scores, total = found[0][offset:k], found_scores[0][offset:k], n
        hits = []
        for row, score in zip(picked.tolist(), picked_scores.tolist(), strict=True):
            if row < 0:
                continue
            e = self.index.catalog[row]
            hits.append(
                SearchHit(e.nct_id, e.title, e.conditions, e.overall_status, e.phases, e.study_type, float(score))
            )
        return SearchResult(total=total, offset=offset, hits=hits)
