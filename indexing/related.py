"""Related trials from a published build: a lookup in the precomputed lists, a live search when filters need it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from indexing.ann import read_ann, stored_vectors
from indexing.builds import CorruptBuild, current_build_dir, read_verified_manifest
from indexing.catalog import read_catalog
from indexing.explain import ExplainView, explain
from indexing.filters import TrialFilters
from indexing.scoring import parse_aspect
from models.lexical import TfidfScorer
from models.trial import is_nct_id
from models.trial_text import ASPECTS, Aspect

OVERALL = "overall"
MAX_LIMIT = 100


class InvalidNctId(ValueError):
    """Not `NCT` followed by eight digits."""


class TrialNotIndexed(LookupError):
    """A well-formed NCT ID that the build does not hold."""


@dataclass
class RelatedHit:
    """One related trial with its scores and the reasons it is related."""

    nct_id: str
    title: str
    conditions: list[str]
    score: float
    aspect_scores: dict[str, float]
    why: list[str]

    def as_json(self) -> dict[str, Any]:
        return {
            "nct_id": self.nct_id,
            "title": self.title,
            "conditions": self.conditions,
            "score": round(self.score, 4),
            "aspect_scores": {k: round(v, 4) for k, v in self.aspect_scores.items()},
            "why": self.why,
        }


@dataclass
class RelatedResult:
    """The related list of one trial."""

    nct_id: str
    aspect: str
    hits: list[RelatedHit] = field(default_factory=list)
    source: str = "precomputed"  # or "live search" when filters or an aspect needed one

    def as_json(self) -> dict[str, Any]:
        return {"nct_id": self.nct_id, "hits": [h.as_json() for h in self.hits]}


class RelatedIndex:
    """An opened, verified build; read-only and safe to share between threads."""

    def __init__(self, path: Path, manifest: dict[str, Any]) -> None:
        self.path = path
        self.manifest = manifest
        self.build_id: str = manifest["build_id"]
        self.ids: list[str] = json.loads((path / "ids.json").read_text())
        self.rows = {nct_id: row for row, nct_id in enumerate(self.ids)}
        self.catalog = read_catalog(path / "catalog.jsonl")
        with np.load(path / "related.npz") as related:
            self.neighbours = related["neighbours"]
            self.scores = related["scores"]
        self.indexes = {name: read_ann(path / f"{name}.faiss") for name in (OVERALL, *[a.value for a in ASPECTS])}
        self.vectors = {name: stored_vectors(index) for name, index in self.indexes.items()}
        self.lexical = sparse.load_npz(path / "lexical.npz").tocsr()
        self.weights = {Aspect(k): float(v) for k, v in manifest["weights"].items()}
        self.lexical_weight = float(manifest["lexical"]["weight"])
        self._scorer: TfidfScorer | None = None
        self._views = [ExplainView.of(entry) for entry in self.catalog]  # case-folded once, not per request
        self._check_counts()

    @classmethod
    def open(cls, path: Path, *, checksums: bool = True) -> RelatedIndex:
        """Open a build directory after checking its files against the manifest."""
        manifest = read_verified_manifest(path, checksums=checksums)
        try:
            return cls(path, manifest)
        except CorruptBuild:
            raise
        except Exception as error:  # a file that matches its checksum but cannot be parsed
            raise CorruptBuild(f"build {path} cannot be opened: {type(error).__name__}: {error}") from None

    @classmethod
    def open_current(cls, builds_dir: Path) -> RelatedIndex:
        """Open the build that `current` points to."""
        return cls.open(current_build_dir(builds_dir))

    def _check_counts(self) -> None:
        n = self.manifest["count"]
        counts = {
            "ids.json": len(self.ids),
            "catalog.jsonl": len(self.catalog),
            "related.npz": len(self.neighbours),
            "lexical.npz": self.lexical.shape[0],
            **{f"{name}.faiss": index.ntotal for name, index in self.indexes.items()},
        }
        wrong = {name: count for name, count in counts.items() if count != n}
        if wrong:
            raise CorruptBuild(f"build {self.path}: row counts {wrong} differ from the manifest's {n}")

    def close(self) -> None:
        """Nothing to release today (all in memory); kept so callers can scope an opened build."""

    @property
    def scorer(self) -> TfidfScorer:
        """The lexical scorer of this build, loaded on first use (only search needs it)."""
        if self._scorer is None:
            self._scorer = TfidfScorer.from_json(json.loads((self.path / "lexical-vocab.json").read_text()))
        return self._scorer

    def row_of(self, nct_id: str) -> int:
        """The index row of a trial; InvalidNctId or TrialNotIndexed otherwise."""
        nct_id = nct_id.strip().upper()
        if not is_nct_id(nct_id):
            raise InvalidNctId(f"{nct_id!r} is not an NCT ID: expected 'NCT' followed by 8 digits, e.g. NCT03458156")
        row = self.rows.get(nct_id)
        if row is None:
            raise TrialNotIndexed(f"{nct_id} is not in build {self.build_id}")
        return row

    def is_lookup(self, aspect: str, filters: TrialFilters, limit: int) -> bool:
        """Whether a request is answered straight from the precomputed lists (no search)."""
        return aspect == OVERALL and not filters and limit <= self.neighbours.shape[1]

    def aspect_scores(self, row: int, others: np.ndarray) -> dict[Aspect, np.ndarray]:
        """Cosine similarity of each aspect between one row and many."""
        return {a: self.vectors[a.value][others] @ self.vectors[a.value][row] for a in ASPECTS}

    def _live(self, row: int, aspect: str, limit: int, filters: TrialFilters) -> tuple[np.ndarray, np.ndarray]:
        """Search the index directly, widening until enough hits pass the filters or all rows were seen."""
        n = len(self.ids)
        k = min(n, max(4 * limit, 64))
        while True:
            dense, cand = self.indexes[aspect].search(self.vectors[aspect][row : row + 1], k)
            cand, dense = cand[0], dense[0]
            keep = (cand >= 0) & (cand != row)
            cand, dense = cand[keep], dense[keep]
            if aspect == OVERALL:
                dense = dense + self.lexical_weight * TfidfScorer.similarity(self.lexical[row], self.lexical[cand])[0]
            if filters:
                passing = np.fromiter((filters.accepts(self.catalog[c]) for c in cand), dtype=bool, count=len(cand))
                cand, dense = cand[passing], dense[passing]
            if len(cand) >= limit or k >= n:
                order = np.argsort(-dense, kind="stable")[:limit]
                return cand[order], dense[order]
            k = min(n, k * 4)

    def related(
        self,
        nct_id: str,
        limit: int = 10,
        aspect: str = OVERALL,
        filters: TrialFilters | None = None,
        explain_hits: bool = True,
    ) -> RelatedResult:
        """The trials most related to `nct_id`, best first; the trial itself never appears."""
        if not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
        if aspect != OVERALL:
            aspect = parse_aspect(aspect).value
        filters = filters or TrialFilters()
        row = self.row_of(nct_id)
        source = "precomputed"
        if self.is_lookup(aspect, filters, limit):
            cand, score = self.neighbours[row, :limit], self.scores[row, :limit]
            cand, score = cand[cand >= 0], score[: int((cand >= 0).sum())]
        else:
            if aspect == OVERALL:
                precomputed = self.neighbours[row]
                passing = [i for i, c in enumerate(precomputed) if c >= 0 and filters.accepts(self.catalog[c])]
                if len(passing) >= limit:
                    cand, score = precomputed[passing[:limit]], self.scores[row, passing[:limit]]
                else:
                    cand, score = self._live(row, aspect, limit, filters)
                    source = "live search"
            else:
                cand, score = self._live(row, aspect, limit, filters)
                source = "live search"
        per_aspect = self.aspect_scores(row, cand)
        seed = self._views[row]
        hits = [
            RelatedHit(
                nct_id=self.ids[c],
                title=self.catalog[c].title,
                conditions=self.catalog[c].conditions,
                score=float(s),
                aspect_scores={a.value: float(per_aspect[a][i]) for a in ASPECTS},
                why=explain(seed, self._views[c]) if explain_hits else [],
            )
            for i, (c, s) in enumerate(zip(cand.tolist(), score.tolist(), strict=True))
        ]
        return RelatedResult(self.ids[row], aspect, hits, source)
