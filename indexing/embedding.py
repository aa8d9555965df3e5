"""Trials to aspect vectors: units packed into windows, windows embedded through the cache, then pooled."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from indexing.embedding_cache import EmbeddingCache, text_key
from models.chunking import pack_windows
from models.encoders import Encoder, l2_normalise
from models.trial import Trial
from models.trial_text import ASPECTS, Aspect, aspect_units

Pooling = Literal["chunked", "truncate"]


@dataclass(frozen=True)
class EmbeddingConfig:
    """How aspect text is cut and pooled; part of a build's manifest."""

    # MiniLM reads at most 256 word pieces but was trained on 128: windows of 128 stay in its comfort zone.
    window_tokens: int = 128
    # "chunked": whole units packed into windows, window vectors averaged;
    # "truncate": the aspect text as one input, cut by the model at its maximum length (the baseline).
    pooling: Pooling = "chunked"


@dataclass
class EmbedProgress:
    """Hooks for a progress bar over the texts that actually need the encoder."""

    on_start: Callable[[int, int], None] = lambda to_encode, cached: None
    on_encoded: Callable[[int], None] = lambda n: None


@dataclass
class EmbedStats:
    """What one embedding pass did."""

    windows: int = 0
    unique_windows: int = 0
    encoded: int = 0
    cached: int = 0
    encode_seconds: float = 0.0


class AspectEmbedder:
    """Embeds trials aspect by aspect through an encoder and an embedding cache."""

    def __init__(self, encoder: Encoder, cache: EmbeddingCache, config: EmbeddingConfig | None = None) -> None:
        self.encoder = encoder
        self.cache = cache
        self.config = config or EmbeddingConfig()
        self.stats = EmbedStats()

    def windows(self, units_per_trial: Sequence[list[str]]) -> list[list[str]]:
        """Each trial's units as the windows the encoder will read."""
        if self.config.pooling == "truncate":
            return [["\n".join(units)] if units else [] for units in units_per_trial]
        flat = [unit for units in units_per_trial for unit in units]
        counts = iter(self.token_counts(flat))
        limit = min(self.config.window_tokens, self.encoder.max_tokens)
        return [pack_windows(units, [next(counts) for _ in units], limit) for units in units_per_trial]

    def token_counts(self, units: Sequence[str]) -> list[int]:
        """Tokens per unit, from the cache where possible (tokenising a whole corpus takes a while)."""
        keys = [text_key(u) for u in units]
        known = self.cache.get_token_counts(self.encoder.model_id, keys)
        missing = {k: u for k, u in zip(keys, units, strict=True) if k not in known}
        if missing:
            counted = dict(zip(missing, self.encoder.count_tokens(list(missing.values())), strict=True))
            self.cache.put_token_counts(self.encoder.model_id, counted)
            known.update(counted)
        return [known[k] for k in keys]

    def embed_texts(self, texts: Sequence[str], progress: EmbedProgress | None = None) -> np.ndarray:
        """Vectors for exact texts, from the cache where possible; only unseen texts reach the encoder."""
        progress = progress or EmbedProgress()
        keys = [text_key(t) for t in texts]
        model_id, dim = self.encoder.model_id, self.encoder.dim
        found = self.cache.get_many(model_id, keys, dim)
        missing: dict[bytes, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in found:
                missing.setdefault(key, text)
        self.stats.windows += len(texts)
        self.stats.unique_windows += len(set(keys))
        self.stats.cached += len(set(keys)) - len(missing)
        progress.on_start(len(missing), len(set(keys)) - len(missing))
        if missing:
            started = time.perf_counter()
            new_keys, new_texts = list(missing), list(missing.values())
            step = 2048  # write to the cache as we go, so an interrupted build keeps its work
            for start in range(0, len(new_texts), step):
                vectors = self.encoder.encode(new_texts[start : start + step], progress=progress.on_encoded)
                self.cache.put_many(model_id, new_keys[start : start + step], vectors)
                found.update(zip(new_keys[start : start + step], vectors, strict=True))
            self.stats.encoded += len(missing)
            self.stats.encode_seconds += time.perf_counter() - started
        out = np.zeros((len(texts), dim), dtype=np.float32)
        for row, key in enumerate(keys):
            out[row] = found[key]
        return out

    def embed_units(self, units_per_trial: Sequence[list[str]], progress: EmbedProgress | None = None) -> np.ndarray:
        """One pooled, L2-normalised vector per trial; a trial with no text gets a zero vector."""
        windows = self.windows(units_per_trial)
        flat = [w for ws in windows for w in ws]
        return self._pool(windows, self.embed_texts(flat, progress))

    def embed_trials(
        self,
        trials: Sequence[Trial],
        aspects: Sequence[Aspect] = ASPECTS,
        progress: EmbedProgress | None = None,
    ) -> dict[Aspect, np.ndarray]:
        """Aspect -> (len(trials), dim) matrix, row i for trials[i]; all aspects share one encoder pass."""
        windows = {aspect: self.windows([aspect_units(t, aspect) for t in trials]) for aspect in aspects}
        flat = [w for aspect in aspects for ws in windows[aspect] for w in ws]
        vectors = self.embed_texts(flat, progress)
        out: dict[Aspect, np.ndarray] = {}
        offset = 0
        for aspect in aspects:
            size = sum(len(ws) for ws in windows[aspect])
            out[aspect] = self._pool(windows[aspect], vectors[offset : offset + size])
            offset += size
        return out

    def _pool(self, windows: list[list[str]], vectors: np.ndarray) -> np.ndarray:
        """Mean of each trial's window vectors, re-normalised; rows without windows stay zero."""
        owners = np.fromiter((i for i, ws in enumerate(windows) for _ in ws), dtype=np.int64, count=len(vectors))
        pooled = np.zeros((len(windows), self.encoder.dim), dtype=np.float32)
        np.add.at(pooled, owners, vectors)
        return l2_normalise(pooled)
