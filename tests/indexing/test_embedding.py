"""Aspect embedding: windows through the cache, pooled to one unit vector per trial."""

from pathlib import Path

import numpy as np

from indexing.embedding import AspectEmbedder, EmbeddingConfig
from indexing.embedding_cache import EmbeddingCache
from models.encoders import HashingEncoder


def test_the_cache_means_unchanged_text_is_never_encoded_twice(tmp_path: Path) -> None:
    encoder = HashingEncoder(dim=32, max_tokens=8)
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    embedder = AspectEmbedder(encoder, cache, EmbeddingConfig(window_tokens=6))
    units = [["lupus nephritis stem cells", "renal biopsy class III"], ["asthma inhaler"]]
    first = embedder.embed_units(units)
    assert sum(encoder.calls) == 3, "two criteria that do not fit one 6-token window, and one more trial"
    again = AspectEmbedder(encoder, EmbeddingCache(tmp_path / "cache.sqlite"), EmbeddingConfig(window_tokens=6))
    second = again.embed_units([*units, ["a new trial text"]])
    assert sum(encoder.calls) == 4, "only the new text reaches the encoder"
    assert np.array_equal(first, second[:2])
    assert again.stats.cached == 3 and again.stats.encoded == 1


def test_pooled_vectors_are_unit_length_and_empty_text_is_zero() -> None:
    embedder = AspectEmbedder(
        HashingEncoder(dim=16, max_tokens=4), EmbeddingCache(None), EmbeddingConfig(window_tokens=4)
    )
    vectors = embedder.embed_units([["one two three four five six seven"], []])
    assert np.isclose(np.linalg.norm(vectors[0]), 1.0)
    assert not vectors[1].any()


def test_truncate_pooling_reads_one_window_per_trial() -> None:
    encoder = HashingEncoder(dim=16, max_tokens=4)
    embedder = AspectEmbedder(encoder, EmbeddingCache(None), EmbeddingConfig(pooling="truncate"))
    embedder.embed_units([["a b c d", "e f g h", "i j k l"]])
    assert encoder.calls == [1]
